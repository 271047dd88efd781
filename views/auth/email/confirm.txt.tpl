Dear {{USERNAME}},

Welcome to Inkwell!

To confirm your account please click on the following link:

{{LINK}}

Sincerely,

The Inkwell Team

Note: replies to this email address are not monitored.
