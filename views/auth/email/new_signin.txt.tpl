Dear {{USERNAME}},

Your Inkwell account was just signed in to from a browser or address it
has not been used from lately:

  Time:    {{TIME}} (UTC)
  Address: {{ADDRESS}}
  Browser: {{BROWSER}}

If this was you, there is nothing to do. If it was not, change your
password and log out everywhere else from your account page:

{{LINK}}

You can turn these mails off on that page.

Sincerely,

The Inkwell Team

Note: replies to this email address are not monitored.
