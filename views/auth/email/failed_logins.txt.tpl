Dear {{USERNAME}},

Someone has been trying to sign in to your Inkwell account with wrong
passwords, from several different addresses.

Your account is not locked: you can still sign in as usual. The addresses
that keep failing are being slowed down.

If you think someone may know your password, change it here:

{{LINK}}

Sincerely,

The Inkwell Team

Note: replies to this email address are not monitored.
