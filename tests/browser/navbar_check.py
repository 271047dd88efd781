#!/usr/bin/python3
"""Headless Chromium check of the navbar: a logged-in user can open the
account menu and log out, with JavaScript (wide and narrow window) and
without it (narrow window: the collapsed navbar), and the pages log no
console error (a CSP violation, a missing Popper...).

Not part of `make test` (it needs chromium, chromium-driver and
python3-selenium from Debian). Against a running stack, with a confirmed
account (e.g. `build/inkwell create-user --confirmed`):

  /usr/bin/python3 tests/browser/navbar_check.py URL EMAIL PASSWORD

Exits 0 when every check passed, 1 otherwise.
"""
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as visible
from selenium.webdriver.support.ui import WebDriverWait

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def browser(javascript, width):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},900"):
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def console_errors(driver):
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]


def log_in_and_out(base, email, password, javascript, width):
    name = f"{'with' if javascript else 'without'} JavaScript, {width}px wide"
    driver = browser(javascript, width)
    wait = WebDriverWait(driver, 5)
    try:
        driver.get(base + "/auth/login")
        driver.find_element(By.NAME, "email").send_keys(email)
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
        menu = (By.CSS_SELECTOR, ".navbar .dropdown-menu")
        wait.until(visible.presence_of_element_located(menu))
        check("Hello," in driver.page_source, f"{name}: logged in")
        logout = driver.find_element(*menu).find_element(By.CSS_SELECTOR, 'a[href="/auth/logout"]')
        check(not logout.is_displayed(), f"{name}: Log Out hidden until the menu opens")
        toggler = driver.find_element(By.CSS_SELECTOR, ".navbar-toggler")
        if toggler.is_displayed():  # a narrow window: the navbar is collapsed
            toggler.click()
            wait.until(visible.visibility_of_element_located((By.ID, "nav")))
        driver.find_element(By.CSS_SELECTOR, ".dropdown-toggle").click()
        wait.until(visible.visibility_of(logout))
        check(logout.is_displayed(), f"{name}: the account menu shows Log Out")
        logout.click()
        wait.until(visible.presence_of_element_located((By.CSS_SELECTOR, ".alert")))
        check("You have been logged out." in driver.page_source, f"{name}: logged out")
        errors = console_errors(driver)
        check(not errors, f"{name}: no console error {errors if errors else ''}")
    except Exception as e:  # a timeout or a missing element is a failed check
        check(False, f"{name}: {type(e).__name__}: {e}".splitlines()[0])
        errors = console_errors(driver)
        check(not errors, f"{name}: no console error {errors if errors else ''}")
    finally:
        driver.quit()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    base, email, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    for javascript, width in ((True, 1200), (True, 400), (False, 1200), (False, 400)):
        log_in_and_out(base, email, password, javascript, width)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
