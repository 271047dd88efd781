Dear {{USERNAME}},

To reset your password click on the following link:

{{LINK}}

If you have not requested a password reset simply ignore this message.

Sincerely,

The Inkwell Team

Note: replies to this email address are not monitored.
