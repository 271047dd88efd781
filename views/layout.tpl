{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Inkwell - {{TITLE}}</title>
<link rel="icon" href="/favicon.ico" sizes="16x16">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="Inkwell" href="/feed.atom">
{{#FEED}}<link rel="alternate" type="application/atom+xml" title="{{FEED_TITLE}}" href="{{FEED_URL}}">
{{/FEED}}{{#ARTICLE}}<meta property="og:type" content="article">
<meta property="og:title" content="{{OG_TITLE}}">
<meta property="og:url" content="{{OG_URL}}">
<meta property="og:description" content="{{OG_DESCRIPTION}}">
<meta name="description" content="{{OG_DESCRIPTION}}">
{{/ARTICLE}}<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">
<link rel="stylesheet" href="/static/styles.css">
</head>
<body>
{{!-- PERMISSION_<bit> sections: 1 follow, 2 comment, 4 write, 8 moderate, 16 admin (SPEC §2) --}}
<nav class="navbar navbar-expand-sm navbar-dark bg-dark mb-3">
  <div class="container">
    <a class="navbar-brand" href="/">Inkwell</a>
{{!-- Both toggles are links to what they open: without JavaScript the
     stylesheet shows it while it is the URL's #fragment (views/static/styles.css). --}}
    <a class="navbar-toggler" href="#nav" role="button" data-bs-toggle="collapse" data-bs-target="#nav" aria-controls="nav" aria-expanded="false" aria-label="Toggle navigation"><span class="navbar-toggler-icon"></span></a>
    <div class="collapse navbar-collapse" id="nav">
      <ul class="navbar-nav me-auto">
        <li class="nav-item"><a class="nav-link{{#HOME_ACTIVE}} active{{/HOME_ACTIVE}}"{{#HOME_ACTIVE}} aria-current="page"{{/HOME_ACTIVE}} href="/">Home</a></li>
{{#USER}}        <li class="nav-item"><a class="nav-link{{#PROFILE_ACTIVE}} active{{/PROFILE_ACTIVE}}"{{#PROFILE_ACTIVE}} aria-current="page"{{/PROFILE_ACTIVE}} href="/user/{{USERNAME}}">Profile</a></li>
{{/USER}}{{#PERMISSION_8}}        <li class="nav-item"><a class="nav-link{{#MODERATE_ACTIVE}} active{{/MODERATE_ACTIVE}}"{{#MODERATE_ACTIVE}} aria-current="page"{{/MODERATE_ACTIVE}} href="/moderate">Moderate Comments</a></li>
{{/PERMISSION_8}}      </ul>
      <ul class="navbar-nav">
{{#ANONYMOUS}}        <li class="nav-item"><a class="nav-link{{#LOGIN_ACTIVE}} active{{/LOGIN_ACTIVE}}"{{#LOGIN_ACTIVE}} aria-current="page"{{/LOGIN_ACTIVE}} href="/auth/login">Log In</a></li>
{{/ANONYMOUS}}{{#USER}}        <li class="nav-item dropdown">
          <a class="nav-link dropdown-toggle" href="#account-menu" role="button" data-bs-toggle="dropdown" aria-expanded="false">{{USERNAME}}</a>
          <ul class="dropdown-menu dropdown-menu-end" id="account-menu">
            <li><a class="dropdown-item" href="/auth/account">Account</a></li>
            <li><a class="dropdown-item" href="/auth/account/export.json" download>Export My Data</a></li>
            <li><a class="dropdown-item" href="/auth/change-password">Change Password</a></li>
            <li><a class="dropdown-item" href="/auth/change_email">Change Email</a></li>
            <li><a class="dropdown-item" href="/auth/logout">Log Out</a></li>
          </ul>
        </li>
{{/USER}}      </ul>
    </div>
  </div>
</nav>
<main class="container">
{{#FLASH}}  <div class="alert alert-{{CATEGORY}} alert-dismissible fade show" role="alert">{{MESSAGE}}<button type="button" class="btn-close" data-bs-dismiss="alert" aria-label="Close"></button></div>
{{/FLASH}}{{>CONTENT}}
</main>
{{!-- Debian's Bootstrap "bundle" does not bundle Popper: v2 goes first. --}}
<script src="/static/popper/popper.min.js"></script>
<script src="/static/bootstrap/js/bootstrap.bundle.min.js"></script>
<script src="/static/preview.js"></script>
<script src="/static/times.js"></script>
<script src="/static/forms.js"></script>
</body>
</html>
