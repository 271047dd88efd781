#!/usr/bin/python3
"""The browser tests (`make test-browser`): Debian's Chromium, headless,
driven by Debian's python3-selenium through chromium-driver, clicking
through a throwaway Inkwell stack (tests/stack/start.sh browser: var/browser,
nginx on 127.0.0.1:$INKWELL_HTTP_PORT, default 8085, SMTP sink on
$INKWELL_SMTP_PORT, default 8029; mails are read from its Maildir).

    tests/browser/run.py [TEST...]        (default: all, in order)

The tests build on each other (alice registers in the first one), so a
subset starts from the first: `run.py register post comment`.
BROWSER_TIMING=1 prints where the time goes; BROWSER_SCREENSHOTS=all keeps
the screenshots of passing tests too.

Every step of every test also checks the page: no console error, no broken
image, no horizontal scroll at 390 and at 1280 px. Each page type is checked
with axe-core (tests/browser/node_modules, `npm ci`); a serious or critical
violation fails. A failed test writes the screenshots of its steps to
var/test/screenshots/<test>/. The last line is `N passed, M failed`.
"""
import base64
import email
import email.policy
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
import urllib.request
from datetime import datetime, timedelta, timezone

from selenium import webdriver
from selenium.common.exceptions import (StaleElementReferenceException, TimeoutException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
STACK = os.path.join(ROOT, "tests", "stack")
SCREENSHOTS = os.path.join(ROOT, "var", "test", "screenshots")
AXE = os.path.join(HERE, "node_modules", "axe-core", "axe.min.js")
WIDTHS = (1280, 390)
WAIT = 10  # seconds: the longest wait for anything on a page
MAIL_WAIT = 20  # seconds: the longest wait for a mail
PASSWORD = "browser-password-1"


def say(*parts):
    print("[browser]", *parts, flush=True)


class Failed(Exception):
    pass


def check(ok, what):
    if not ok:
        raise Failed(what)


# ---------------------------------------------------------------- the stack

def stack_env(full):
    """The browser stack's environment as env.sh sets it."""
    cmd = f'source "{STACK}/env.sh" browser {"" if full else "--paths-only"} >/dev/null && env -0'
    out = subprocess.run(["bash", "-c", cmd], check=True, capture_output=True, timeout=30).stdout
    return dict(kv.split("=", 1) for kv in out.decode().split("\0") if "=" in kv)


ENV = {}
TIMES = {"load": 0.0, "step": 0.0}  # seconds spent loading pages and checking them


def inkwell(*args, stdin=None):
    """Runs the build/inkwell CLI against the browser stack."""
    r = subprocess.run([os.path.join(ENV["BUILD_DIR"], "inkwell"), *args], input=stdin,
                       text=True, env=ENV, capture_output=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"inkwell {' '.join(args)}: {r.returncode} {r.stdout}{r.stderr}")
    return r.stdout


def create_user(email_addr, username, admin=False):
    inkwell("create-user", "--email", email_addr, "--username", username, "--confirmed",
            *(["--admin"] if admin else []), stdin=PASSWORD + "\n")


def mails_to(address, subject):
    """(text, received order) of every mail in the sink's Maildir to address
    whose subject contains subject."""
    found = []
    maildir = os.path.join(ENV["STACK_DIR"], "mail")
    for sub in ("new", "cur"):
        folder = os.path.join(maildir, sub)
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            if address.lower() not in str(msg.get("To", "")).lower():
                continue
            if subject not in str(msg.get("Subject", "")):
                continue
            part = msg.get_body(preferencelist=("plain",))
            found.append((os.path.getmtime(path), part.get_content() if part else ""))
    return [text for _, text in sorted(found, key=lambda m: m[0])]


def link_in_mail(address, subject, count=1):
    """The link of the count-th mail to address with that subject, waiting
    for it at most MAIL_WAIT seconds."""
    started = time.monotonic()
    deadline = started + MAIL_WAIT
    while True:
        mails = mails_to(address, subject)
        if len(mails) >= count:
            m = re.search(r"http://127\.0\.0\.1:\d+/\S+", mails[count - 1])
            check(m is not None, f"no link in the mail '{subject}' to {address}")
            if os.environ.get("BROWSER_TIMING"):
                say(f"    mail '{subject}' after {time.monotonic() - started:.2f} s")
            return m.group(0)
        check(time.monotonic() < deadline,
              f"no mail '{subject}' to {address} within {MAIL_WAIT} s (have {len(mails)})")
        time.sleep(0.2)


# -------------------------------------------------------------- the browser

PAGE_CHECK_JS = """
const done = arguments[arguments.length - 1];
// Lazy images load only near the viewport: ask for every one now.
for (const img of document.images) img.loading = 'eager';
const deadline = Date.now() + 5000;
(function poll() {
  const pending = [...document.images].filter(i => !i.complete);
  if (pending.length && Date.now() < deadline) return setTimeout(poll, 50);
  done({
    broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0)
                                .map(i => i.currentSrc || i.src),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    // What sticks out, for the message.
    wide: [...document.body.querySelectorAll('*')]
      .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 4)
      .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                (e.className && typeof e.className === 'string'
                   ? '.' + e.className.trim().split(/\s+/).join('.') : '')),
  });
})();
"""


class Browser:
    def __init__(self, base):
        self.base = base
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--lang=en-US", "--disable-extensions",
                    "--no-first-run", "--disable-features=Translate,AutofillServerCommunication",
                    # No smooth scrolling or transitions: a click lands where it aims.
                    "--force-prefers-reduced-motion"):
            options.add_argument(arg)
        prefs = {"credentials_enable_service": False,
                 "profile.password_manager_enabled": False,
                 "profile.password_manager_leak_detection": False}
        options.add_experimental_option("prefs", prefs)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        # axe-core is in every page from its start, put there by the
        # browser (DevTools), not by the page: the CSP does not apply to it.
        with open(AXE) as f:
            self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                        {"source": f.read()})
        self.driver.set_page_load_timeout(WAIT * 2)
        self.driver.set_script_timeout(WAIT * 2)
        self.steps = []  # (name, png) of the current test
        self.expected_errors = []  # console messages a step expects (a 404...)
        self.width = None
        self.set_width(1280)

    def quit(self):
        try:
            self.driver.quit()
        except Exception:
            pass

    # -- viewport
    def set_width(self, width):
        if width == self.width:
            return
        self.driver.set_window_size(width, 900)
        try:
            self.wait().until(
                lambda d: d.execute_script("return window.innerWidth") == width)
        except TimeoutException:
            raise Failed(f"the window did not become {width} px wide")
        self.width = width

    def wait(self, timeout=WAIT):
        """A bounded wait that looks often (the default is every 0.5 s)."""
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05)

    # -- navigation
    def go(self, path):
        t0 = time.monotonic()
        self.driver.get(self.base + path)
        TIMES["load"] += time.monotonic() - t0

    def find(self, css, timeout=WAIT):
        return self.wait(timeout).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, css)))

    def visible(self, css, timeout=WAIT):
        return self.wait(timeout).until(
            ec.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def link(self, text):
        return self.wait().until(
            ec.element_to_be_clickable((By.LINK_TEXT, text)))

    def replaced(self, old):
        """A wait condition: the element `old` is no longer in the page (a
        new page replaced it). chromedriver says so either as a stale
        element or, when it asks about a node of the old document as the
        new one arrives, as "Node with given id does not belong to the
        document" (seen in CI runs, right after a click that loads a page)."""
        def gone(_driver):
            try:
                old.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as e:
                if "does not belong to the document" in str(e):
                    return True
                raise
        return gone

    def click_and_load(self, element):
        """Clicks something that loads a new page and waits for it."""
        t0 = time.monotonic()
        old = self.driver.find_element(By.TAG_NAME, "html")
        try:
            element.click()
        except WebDriverException as e:
            # chromedriver now and then fails a click on a node of the page
            # it just found ("Node with given id does not belong to the
            # document"; seen once in a CI run, right after a screenshot):
            # it finds the node again on a second click. Nothing was
            # clicked: the page is still the old one.
            if "does not belong to the document" not in str(e):
                raise
            time.sleep(0.1)
            element.click()
        try:
            self.wait().until(self.replaced(old))
        except TimeoutException:
            raise Failed(f"no new page within {WAIT} s after a click (at {self.path()})")
        self.wait().until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        TIMES["load"] += time.monotonic() - t0

    def paste(self, element, text):
        """Puts a long text in a field as a paste would (one input event),
        then types its last character: typing it all takes seconds."""
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
            element, text[:-1])
        element.send_keys(text[-1])

    def fill(self, values):
        for name, value in values.items():
            field = self.find(f'[name="{name}"]')
            if field.get_attribute("type") == "checkbox":
                if field.is_selected() != bool(value):
                    field.click()
            elif field.tag_name == "select":
                field.find_element(By.XPATH, f'option[normalize-space(.)="{value}"]').click()
            else:
                field.clear()
                field.send_keys(value)

    def submit(self, values=None, form="main form"):
        if values:
            self.fill(values)
        button = self.find(f'{form} [type="submit"]')
        self.click_and_load(button)

    def path(self):
        url = self.driver.current_url
        return url[len(self.base):] if url.startswith(self.base) else url

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def flashes(self):
        return [a.text for a in self.all(".alert")]

    def expect_flash(self, message):
        got = self.flashes()
        check(any(message in f for f in got), f"flash {message!r} expected, got {got}")

    def account_menu(self, item):
        """Opens the account menu as a person does (the collapsed navbar
        first on a narrow screen) and clicks an item."""
        toggler = self.find(".navbar-toggler")
        if toggler.is_displayed():
            toggler.click()
            self.visible("#nav")
        self.find(".navbar .dropdown-toggle").click()
        entry = self.visible(f'#account-menu a[href="{item}"]')
        self.click_and_load(entry)

    def log_in(self, email_addr, password=PASSWORD):
        self.go("/auth/login")
        self.submit({"email": email_addr, "password": password})
        check(self.all(".navbar .dropdown-toggle"),
              f"logged in as {email_addr}: {self.flashes()} at {self.path()}")

    def log_out(self):
        self.account_menu("/auth/logout")
        self.expect_flash("You have been logged out.")

    # -- the checks of every step
    def console_errors(self):
        errors = []
        for entry in self.driver.get_log("browser"):
            if entry["level"] != "SEVERE":
                continue
            if any(e in entry["message"] for e in self.expected_errors):
                continue
            errors.append(entry["message"])
        return errors

    def step(self, name):
        """Screenshot and the checks every page must pass: at 1280 and 390
        px no horizontal scroll and no broken image; no console error."""
        problems = []
        width_before = self.width
        t0 = time.monotonic()
        self.steps.append((name, self.driver.get_screenshot_as_png()))
        t1 = time.monotonic()
        for width in sorted(WIDTHS, key=lambda w: w != width_before):  # this width first
            self.set_width(width)
            r = self.driver.execute_async_script(PAGE_CHECK_JS)
            if r["broken"]:
                problems.append(f"broken images at {width}px: {r['broken']}")
            if r["scrollWidth"] > r["clientWidth"]:
                problems.append(f"horizontal scroll at {width}px: scrollWidth "
                                f"{r['scrollWidth']} > clientWidth {r['clientWidth']} "
                                f"({', '.join(r['wide'])})")
            if problems and not problems[-1].startswith("console"):
                self.steps.append((f"{name}-{width}px", self.driver.get_screenshot_as_png()))
        self.set_width(width_before)
        TIMES["step"] += time.monotonic() - t0
        if os.environ.get("BROWSER_TIMING"):
            say(f"    step {name}: screenshot {t1 - t0:.2f} s, checks {time.monotonic() - t1:.2f} s")
        errors = self.console_errors()
        if errors:
            problems.append(f"console errors: {errors}")
        check(not problems, f"step '{name}' at {self.path()}: " + "; ".join(problems))

    def axe(self, name):
        """axe-core on the current page; fails on a serious or critical
        violation."""
        t0 = time.monotonic()
        result = self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']})
               .then(r => done(r.violations.map(v => ({
                   id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' +
                                                  (n.failureSummary || '').split('\\n').slice(1).join(' '))
               }))))
               .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
        """)
        if os.environ.get("BROWSER_TIMING"):
            say(f"    axe {name}: {time.monotonic() - t0:.2f} s")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        minor = [v for v in result if v["impact"] not in ("serious", "critical")]
        for v in minor:
            say(f"  axe ({name}): {v['impact']} {v['id']}: {v['help']}")
        check(not bad, f"axe on {name} ({self.path()}): " + "; ".join(
            f"{v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in bad))
        return result


# -------------------------------------------------------------------- tests
# Tests run in order and build on each other's accounts: alice registers
# through the pages; bob and the admin are made with the CLI.

ALICE = {"email": "alice@example.com", "username": "alice"}
BOB = {"email": "bob@example.com", "username": "bob"}
ADMIN = {"email": "admin@example.com", "username": "admin"}
STATE = {}


def t_register_confirm_login(b):
    """Register, confirm from the mailed link, log in."""
    b.go("/")
    b.step("home as a visitor")
    b.click_and_load(b.link("Log In"))
    b.click_and_load(b.link("Click here to register"))
    b.step("register form")
    b.submit({"email": "nope", "username": "alice", "password": "short", "password2": "other"})
    field = b.find("#email")
    check(field.get_attribute("aria-invalid") == "true" and
          "email-error" in (field.get_attribute("aria-describedby") or ""),
          "an invalid email is marked and described")
    b.step("register errors")
    b.submit({"email": ALICE["email"], "username": ALICE["username"], "password": PASSWORD,
              "password2": PASSWORD})
    b.expect_flash("A confirmation email has been sent to you by email.")
    b.step("registered")
    b.submit({"email": ALICE["email"], "password": PASSWORD})
    check("You have not confirmed your account yet." in b.text(), "the unconfirmed page")
    b.step("unconfirmed")
    link = link_in_mail(ALICE["email"], "Confirm Your Account")
    b.driver.get(link)
    b.expect_flash("You have confirmed your account. Thanks!")
    check("Hello, alice!" in b.text(), "home greets alice")
    b.step("confirmed")


POST_MD = ("## A small heading\n\nSome **strong** words and `code`.\n\n> A quoted line\n\n"
           "- one\n- two\n\n```\nblock of code\n```\n\n"
           "A long word: " + "x" * 300 + " and https://example.com/" + "long/path/" * 30 + "\n")


def t_post_markdown(b):
    """Write a Markdown post (live preview, counter), see it rendered, edit it."""
    b.log_in(ALICE["email"])
    area = b.find("textarea#body")
    check(area.get_attribute("required") is not None, "the post body is required")
    check(area.get_attribute("maxlength") == "65535", "the post body has maxlength 65535")
    b.paste(area, POST_MD)
    preview = b.visible("#body-preview h2")
    check(preview.text == "A small heading", "the live preview renders the Markdown")
    counter = b.visible("#body-count")
    check(re.search(r"\b%d\b" % len(POST_MD), counter.text.replace(",", "")) is not None,
          f"the counter counts the characters: {counter.text!r} for {len(POST_MD)}")
    b.step("post with preview")
    b.submit()
    post = b.find("ul.posts li.post")
    body = post.find_element(By.CSS_SELECTOR, ".post-body")
    check(body.find_element(By.TAG_NAME, "h2").text == "A small heading", "the post's h2")
    check(body.find_element(By.TAG_NAME, "strong").text == "strong", "the post's strong")
    check(len(body.find_elements(By.CSS_SELECTOR, "ul > li")) == 2, "the post's list")
    sizes = b.driver.execute_script("""
        const px = e => parseFloat(getComputedStyle(e).fontSize);
        const body = document.querySelector('ul.posts .post-body');
        const q = body.querySelector('blockquote'), pre = body.querySelector('pre');
        return {h2: px(body.querySelector('h2')), h1: px(document.querySelector('h1')),
                text: px(body.querySelector('p')),
                quoteBorder: parseFloat(getComputedStyle(q).borderLeftWidth),
                preBackground: getComputedStyle(pre).backgroundColor,
                listPadding: parseFloat(getComputedStyle(body.querySelector('ul')).paddingLeft)};
    """)
    check(sizes["h2"] < sizes["h1"] and sizes["h2"] <= 1.25 * sizes["text"],
          f"a ## in a post is smaller than the page's heading: {sizes}")
    check(sizes["quoteBorder"] > 0, f"blockquotes are styled: {sizes}")
    check(sizes["preBackground"] not in ("rgba(0, 0, 0, 0)", "transparent"),
          f"code blocks are styled: {sizes}")
    check(sizes["listPadding"] > 0, f"lists are indented: {sizes}")
    b.step("post rendered (long words wrap)")
    STATE["alice_post"] = post.get_attribute("id").split("-")[1]
    b.click_and_load(post.find_element(By.LINK_TEXT, "Edit"))
    check(b.find("textarea#body").get_attribute("value").startswith("## A small heading"),
          "the edit form holds the Markdown")
    b.step("edit form")
    b.submit({"body": "An *edited* post"})
    b.expect_flash("The post has been updated.")
    check(b.find(".post-body em").text == "edited", "the edited post is rendered")
    b.step("post edited")


def t_follow_unfollow(b):
    """Follow bob from his profile, see his post in the Followed tab, unfollow."""
    b.go(f"/user/{BOB['username']}")
    b.step("bob's profile")
    b.submit(form="form[action$='/follow/bob']")
    b.expect_flash("You are now following bob.")
    check(b.find(".followers-link .badge").text == "1", "bob has a follower")
    b.step("following bob")
    b.click_and_load(b.find(".followers-link"))
    check(b.all(f'.follows a[href="/user/{ALICE["username"]}"]'), "alice among bob's followers")
    b.step("bob's followers")
    b.go("/")
    b.click_and_load(b.link("Followed"))
    authors = {e.text for e in b.all("ul.posts .post-author")}
    check("bob" in authors and authors <= {"bob", "alice"}, f"the followed tab: {authors}")
    b.step("followed tab")
    b.click_and_load(b.link("All"))
    b.go(f"/user/{BOB['username']}")
    b.submit(form="form[action$='/unfollow/bob']")
    b.expect_flash("You are not following bob anymore.")
    b.step("unfollowed bob")


def t_comment(b):
    """Comment on bob's post (with the live preview)."""
    b.go(f"/post/{STATE['bob_post']}")
    check(b.find("textarea#body").get_attribute("maxlength") == "65535",
          "the comment has maxlength 65535")
    b.find("textarea#body").send_keys("A *comment* from alice")
    b.visible("#body-preview em")
    b.visible("#body-count")
    b.step("comment form")
    b.submit()
    b.expect_flash("Your comment has been published.")
    comment = b.find("ul.comments li.comment")
    check("A comment from alice" in comment.text, "the comment is shown")
    STATE["comment"] = comment.get_attribute("id").split("-")[1]
    b.step("commented")
    b.log_out()


def t_admin_edit_and_moderate(b):
    """The admin makes bob a moderator (admin edit); bob disables and enables
    alice's comment."""
    b.log_in(ADMIN["email"])
    b.go(f"/user/{BOB['username']}")
    b.click_and_load(b.link("Edit Profile [Admin]"))
    STATE["bob_id"] = b.path().rsplit("/", 1)[1]
    b.step("admin edit")
    b.submit({"role": "Moderator", "location": "Paris"})
    b.expect_flash("The profile has been updated.")
    b.step("admin edited")
    b.log_out()
    b.log_in(BOB["email"])
    b.click_and_load(b.link("Moderate Comments"))
    b.step("moderation")
    row = f"#comment-{STATE['comment']}"
    b.submit(form=f"{row} form.comment-moderation")
    check(b.path().startswith("/moderate"), "back on the moderation page")
    b.find(f"{row} form[action^='/moderate/enable']")
    b.step("comment disabled")
    b.go(f"/post/{STATE['bob_post']}")
    b.step("post with a disabled comment (moderator)")
    b.go("/moderate")
    b.submit(form=f"{row} form.comment-moderation")
    b.find(f"{row} form[action^='/moderate/disable']")
    b.step("comment enabled")
    b.log_out()
    b.go(f"/post/{STATE['bob_post']}")
    check("A comment from alice" in b.find(row).text, "the enabled comment is shown to visitors")
    b.step("post as a visitor")


def t_edit_profile(b):
    """Edit one's own profile."""
    b.log_in(ALICE["email"])
    b.go(f"/user/{ALICE['username']}")
    b.click_and_load(b.link("Edit Profile"))
    about = b.find("textarea#about_me")
    check(about.get_attribute("maxlength") == "65535", "about me has maxlength 65535")
    check(b.find("#name").get_attribute("maxlength") == "64", "the name has maxlength 64")
    about.send_keys("I write.")
    b.visible("#about_me-count")
    b.step("edit profile")
    b.submit({"name": "Alice Liddell", "location": "Oxford"})
    b.expect_flash("Your profile has been updated.")
    text = b.text()
    check("Alice Liddell" in text and "Oxford" in text and "I write." in text, "the profile")
    b.step("profile edited")


def t_change_password(b):
    """Change the password from the account menu, log out, log in with it."""
    b.account_menu("/auth/change-password")
    b.step("change password")
    new = PASSWORD + "-new"
    b.submit({"old_password": PASSWORD, "password": new, "password2": new})
    b.expect_flash("Your password has been updated.")
    b.log_out()
    b.log_in(ALICE["email"], new)
    b.step("logged in with the new password")
    STATE["alice_password"] = new


def t_change_email(b):
    """Change the email, confirm from the mailed link."""
    b.account_menu("/auth/change_email")
    b.step("change email")
    b.submit({"email": "alice2@example.com", "password": STATE["alice_password"]})
    b.expect_flash("An email with instructions to confirm your new email address")
    link = link_in_mail("alice2@example.com", "Confirm your email address")
    b.driver.get(link)
    b.expect_flash("Your email address has been updated.")
    b.step("email changed")
    b.go("/auth/account")
    check("alice2@example.com" in b.text(), "the account page shows the new address")
    b.step("account page")
    b.log_out()
    ALICE["email"] = "alice2@example.com"


def t_reset_password(b):
    """Reset a forgotten password from the mailed link."""
    b.go("/auth/login")
    b.click_and_load(b.link("Click here to reset it"))
    b.step("reset request")
    b.submit({"email": ALICE["email"]})
    b.expect_flash("An email with instructions to reset your password has been sent to you.")
    link = link_in_mail(ALICE["email"], "Reset Your Password")
    b.driver.get(link)
    b.step("reset form")
    b.submit({"password": PASSWORD, "password2": PASSWORD})
    b.expect_flash("Your password has been updated.")
    b.log_in(ALICE["email"], PASSWORD)
    b.step("logged in after the reset")


def t_pagination(b):
    """Walk the pages of the home page, at both widths."""
    b.go("/")
    check(b.all("ul.pagination"), "the home page is paginated")
    b.click_and_load(b.find("ul.pagination a[aria-label='Next']"))
    check("page=2" in b.path(), f"page 2: {b.path()}")
    check(b.find("ul.pagination li.active").text == "2", "page 2 is current")
    b.step("page 2")
    last = b.all("ul.pagination li.page-item a.page-link:not([aria-label])")[-1]
    b.click_and_load(last)
    b.set_width(390)
    first = b.find("ul.pagination li.page-item a.page-link")
    check(first.is_displayed() and first.location["x"] >= 0,
          "the first page link is on the screen at 390 px")
    b.set_width(1280)
    b.step("last page")


def t_details(b):
    """Times, double submits, headers, the 404 page."""
    b.go("/")
    times = b.driver.execute_script("""
        return [...document.querySelectorAll('time')].map(t => ({
            datetime: t.getAttribute('datetime'), title: t.title, text: t.textContent}));
    """)
    check(times, "the home page has times")
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    for t in times:
        check(iso.match(t["datetime"] or ""), f"a machine-readable datetime: {t}")
        check(t["title"] and not iso.match(t["title"]), f"a readable tooltip: {t}")
        check(re.match(r"^(a few seconds|an? \w+|\d+ \w+) ago$", t["text"]), f"relative: {t}")
    # The script keeps them fresh: an element three minutes old says so at the next tick.
    three = (datetime.now(timezone.utc) - timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = b.driver.execute_script("""
        const t = document.querySelector('time');
        t.setAttribute('datetime', arguments[0]);
        document.dispatchEvent(new Event('visibilitychange'));
        return t.textContent;""", three)
    check(text == "3 minutes ago", f"a refreshed time reads '3 minutes ago', not {text!r}")
    # A submit button cannot send its form twice.
    b.find("textarea#body").send_keys("Sent once")
    old = b.driver.find_element(By.TAG_NAME, "html")
    sent = b.driver.execute_script("""
        const form = document.querySelector('main form');
        const button = form.querySelector('[type=submit]');
        let submits = 0;
        // On window: after every listener of the page (they run on the way up).
        window.addEventListener('submit', e => { if (!e.defaultPrevented) submits++; });
        button.click(); button.click(); button.click();
        return {submits: submits, disabled: button.disabled,
                busy: button.getAttribute('aria-disabled')};""")
    check(sent["submits"] == 1, f"three clicks submit once: {sent}")
    b.wait().until(b.replaced(old))
    b.find("ul.posts")
    once = [p for p in b.all("ul.posts .post-body") if p.text == "Sent once"]
    check(len(once) == 1, f"one post from three clicks, not {len(once)}")
    b.step("sent once")
    # One rule under the page header (a post's page: the header, then the post).
    b.go(f"/post/{STATE['bob_post']}")
    rules = b.driver.execute_script("""
        const h = document.querySelector('.page-header'), next = h.nextElementSibling;
        return [getComputedStyle(h).borderBottomWidth, next.tagName,
                getComputedStyle(next).borderTopWidth];""")
    check(rules[0] != "0px" and rules[1] == "UL" and rules[2] == "0px",
          f"one rule under the page header, not two: {rules}")
    b.step("one rule under the header")
    # 404 in the layout, with the navbar.
    b.expected_errors = ["/no-such-page"]
    b.go("/no-such-page")
    check(b.find("h1").text == "Page Not Found" and b.all("nav.navbar .dropdown-toggle"),
          "the 404 page has the navbar")
    b.step("404")
    b.expected_errors = []


def t_logout_without_javascript(b):
    """Log out through the account menu at 390 px, with JavaScript and
    without it (the collapsed navbar and the menu are links then)."""
    b.set_width(390)
    b.log_in(BOB["email"])
    b.log_out()
    b.step("logged out at 390 px")
    b.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        b.log_in(BOB["email"])
        logout = b.find('#account-menu a[href="/auth/logout"]')
        check(not logout.is_displayed(), "Log Out hidden until the menu opens")
        b.find(".navbar-toggler").click()
        b.visible("#nav")
        b.find(".navbar .dropdown-toggle").click()
        b.visible('#account-menu a[href="/auth/logout"]')
        b.click_and_load(logout)
        b.expect_flash("You have been logged out.")
        b.step("logged out without JavaScript")
    finally:
        b.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
        b.set_width(1280)


def t_accessibility(b):
    """axe-core on every page type: no serious or critical violation."""
    pages = [("home (visitor)", "/"), ("login", "/auth/login"), ("register", "/auth/register"),
             ("reset", "/auth/reset"), ("post (visitor)", f"/post/{STATE['bob_post']}"),
             ("profile (visitor)", f"/user/{BOB['username']}")]
    for name, path in pages:
        b.go(path)
        b.axe(name)
        if name == "login":  # the only one the flows did not check
            b.step(name)
    b.go("/auth/login")
    b.submit({"email": "nope", "password": ""})
    b.axe("login with errors")
    b.log_in(ADMIN["email"])
    pages = [("home", "/"), ("post", f"/post/{STATE['bob_post']}"),
             ("edit post", f"/edit/{STATE['bob_post']}"),
             ("profile", f"/user/{BOB['username']}"), ("own profile", "/user/admin"),
             ("edit profile", "/edit-profile"),
             ("admin edit profile", f"/edit-profile/{STATE['bob_id']}"),
             ("followers", f"/followers/{BOB['username']}"),
             ("following", f"/followed_by/{ALICE['username']}"),
             ("moderation", "/moderate"), ("account", "/auth/account"),
             ("change password", "/auth/change-password"),
             ("change email", "/auth/change_email"), ("two-factor", "/auth/two-factor"),
             ("page 2", "/?page=2")]
    checked = {"home", "post", "edit post", "profile", "edit profile", "admin edit profile",
               "followers", "moderation", "account", "change password", "change email"}
    for name, path in pages:
        b.go(path)
        b.axe(name)
        if name not in checked:  # the flows above went through the others
            b.step(name)
    b.expected_errors = ["/no-such-page"]
    b.go("/no-such-page")
    b.axe("404")
    b.step("404")
    b.expected_errors = []
    b.log_out()
    # An unconfirmed account's page.
    inkwell("create-user", "--email", "carol@example.com", "--username", "carol",
            stdin=PASSWORD + "\n")
    b.go("/auth/login")
    b.submit({"email": "carol@example.com", "password": PASSWORD})
    b.axe("unconfirmed")
    b.step("unconfirmed")


TESTS = [
    ("register", t_register_confirm_login),
    ("post", t_post_markdown),
    ("follow", t_follow_unfollow),
    ("comment", t_comment),
    ("moderate", t_admin_edit_and_moderate),
    ("profile", t_edit_profile),
    ("password", t_change_password),
    ("email", t_change_email),
    ("reset", t_reset_password),
    ("pagination", t_pagination),
    ("details", t_details),
    ("logout", t_logout_without_javascript),
    ("accessibility", t_accessibility),
]


def save_screenshots(test, b, error):
    folder = os.path.join(SCREENSHOTS, test)
    os.makedirs(folder, exist_ok=True)
    try:
        b.steps.append(("failure", b.driver.get_screenshot_as_png()))
    except WebDriverException:
        pass
    for i, (name, png) in enumerate(b.steps, 1):
        safe = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        with open(os.path.join(folder, f"{i:02d}-{safe}.png"), "wb") as f:
            f.write(png)
    with open(os.path.join(folder, "error.txt"), "w") as f:
        f.write(error + "\n")
    say(f"  screenshots of its {len(b.steps)} steps: {folder}")


def api_post(email_addr, body):
    """Writes a post through the API (Basic email:password); its id."""
    req = urllib.request.Request(
        f"http://127.0.0.1:{ENV['HTTP_PORT']}/api/v1/posts/", method="POST",
        data=json.dumps({"body": body}).encode(),
        headers={"Content-Type": "application/json", "Authorization": "Basic " +
                 base64.b64encode(f"{email_addr}:{PASSWORD}".encode()).decode()})
    with urllib.request.urlopen(req, timeout=WAIT) as r:
        return json.load(r)["url"].rstrip("/").rsplit("/", 1)[1]


def seed():
    """The CLI-made accounts and data the tests start from."""
    create_user(ADMIN["email"], ADMIN["username"], admin=True)
    create_user(BOB["email"], BOB["username"])
    # Enough posts for several home pages, then one known post of bob's.
    inkwell("fake", "--users", "3", "--posts", "50", "--seed", "7", "--prefix", "fake")
    STATE["bob_post"] = api_post(BOB["email"], "Bob writes.")


def main(argv):
    wanted = argv[1:] or [name for name, _ in TESTS]
    unknown = set(wanted) - {name for name, _ in TESTS}
    if unknown:
        print(f"unknown tests: {' '.join(sorted(unknown))}; known: "
              f"{' '.join(n for n, _ in TESTS)}", file=sys.stderr)
        return 2
    if not os.path.exists(AXE):
        print(f"{AXE} is missing: run `npm ci` in tests/browser (make test-browser does)",
              file=sys.stderr)
        return 2
    os.environ.setdefault("INKWELL_HTTP_PORT", "8085")
    os.environ.setdefault("INKWELL_SMTP_PORT", "8029")
    os.environ.setdefault("INKWELL_MAIL_POLL_MS", "200")
    ENV.update(stack_env(full=False))
    os.makedirs(os.path.join(ROOT, "var"), exist_ok=True)
    lock = open(os.path.join(ROOT, "var", "browser.lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    # SIGTERM (a CI timeout, kill) stops the stack like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    # var/test/screenshots holds this run's failures only. var/test is the
    # test stack's throwaway directory: created with its marker if missing.
    test_dir = os.path.dirname(SCREENSHOTS)
    if not os.path.isdir(test_dir):
        os.makedirs(test_dir)
        open(os.path.join(test_dir, ".inkwell-stack"), "w").close()
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)

    base = f"http://127.0.0.1:{ENV['HTTP_PORT']}"
    say(f"starting the browser stack in {ENV['STACK_DIR']} ({base})")
    started = time.monotonic()
    results = []
    b = None
    try:
        r = subprocess.run([os.path.join(STACK, "start.sh"), "browser"], capture_output=True,
                           text=True, timeout=120)
        if r.returncode != 0:
            print(r.stdout + r.stderr, file=sys.stderr)
            print("0 passed, 1 failed")
            return 1
        ENV.update(stack_env(full=True))
        seed()
        say(f"stack up and seeded in {time.monotonic() - started:.1f} s")
        b = Browser(base)
        for name, fn in TESTS:
            if name not in wanted:
                continue
            t0 = time.monotonic()
            b.steps = []
            b.expected_errors = []
            try:
                fn(b)
                results.append((name, True))
                if os.environ.get("BROWSER_SCREENSHOTS") == "all":
                    save_screenshots(name, b, "passed")
                say(f"ok   {name}: {fn.__doc__.splitlines()[0]} ({time.monotonic() - t0:.1f} s)")
            except Exception as e:  # a timeout or a missing element is a failure too
                detail = str(e) if isinstance(e, Failed) else \
                    f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
                results.append((name, False))
                say(f"FAIL {name}: {detail}")
                if not isinstance(e, Failed):
                    traceback.print_exc()
                save_screenshots(name, b, detail)
                b.driver.get_log("browser")  # the next test starts clean
    finally:
        if b is not None:
            b.quit()
        say(f"tests took {time.monotonic() - started:.0f} s (page loads {TIMES['load']:.0f} s, "
            f"page checks {TIMES['step']:.0f} s); stopping the stack")
        subprocess.run([os.path.join(STACK, "stop.sh"), "browser"], env=ENV or None,
                       capture_output=True, timeout=120)
    passed = sum(1 for _, ok in results if ok)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if results and passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
