"""The same work as `optout run linkedin --setting genai-training`, in plain Selenium, no framework.

    python scripts/bare_selenium.py URL EMAIL PASSWORD [SCREENSHOT]

The yardstick of `scripts/bench.py`: Chromium with optout's flags and a fresh profile, open /login,
type, submit, open the deep link, click the switch, wait for the save, reload, read, screenshot.
Prints `off` (or what the switch says) on stdout; exit 0 only when the switch reads Off after the
reload. Selenium is imported at the top, as a plain script would.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

DEEP_LINK = "/mypreferences/d/settings/data-for-ai-improvement"
SWITCH = "input[role='switch'], button[role='switch']"


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    base, email, password = argv[0].rstrip("/"), argv[1], argv[2]
    shot = Path(argv[3]) if len(argv) == 4 else None
    profile = tempfile.mkdtemp(prefix="bare-selenium-")
    options = Options()
    options.binary_location = os.environ.get("OPTOUT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    for flag in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--no-default-browser-check", "--disable-sync",
                 "--disable-features=PasswordLeakDetection,AutofillServerCommunication",
                 "--password-store=basic", "--window-size=1280,1000", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "credentials_enable_service": False, "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False, "autofill.profile_enabled": False,
        "autofill.credit_card_enabled": False})
    driver_path = os.environ.get("OPTOUT_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        wait = WebDriverWait(driver, 15, poll_frequency=0.1)
        driver.get(base + "/login")
        driver.find_element(By.ID, "username").send_keys(email)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form.login__form button[type='submit']").click()
        wait.until(lambda d: "/feed" in d.current_url)
        driver.get(base + DEEP_LINK)
        switch = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, SWITCH))
        if switch.get_attribute("aria-checked") == "true":
            driver.find_element(By.CSS_SELECTOR, f"label[for='{switch.get_attribute('id')}']").click() \
                if switch.tag_name == "input" else switch.click()
            # the save: the page disables the switch while its POST is in flight
            wait.until(lambda d: d.execute_script(
                "const s = document.querySelector(arguments[0]);"
                "return s && !s.disabled && s.getAttribute('aria-checked') === 'false';", SWITCH))
        driver.refresh()
        switch = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, SWITCH))
        state = "on" if switch.get_attribute("aria-checked") == "true" else "off"
        png = driver.get_screenshot_as_png()
        if shot is not None:
            shot.write_bytes(png)
        print(state)
        return 0 if state == "off" else 1
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
