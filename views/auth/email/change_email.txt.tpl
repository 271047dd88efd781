Dear {{USERNAME}},

To confirm your new email address click on the following link:

{{LINK}}

Sincerely,

The Inkwell Team

Note: replies to this email address are not monitored.
