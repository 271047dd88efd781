Dear {{USERNAME}},

{{WHAT}}

If this was not you, reset your password at once and log out everywhere
else from your account page:

{{LINK}}

Sincerely,

The Inkwell Team

Note: replies to this email address are not monitored.
