"""Logging a test world's user in through the login page, as a person does."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def log_in(page: Page, base: str, user, password: str) -> None:
    """Give ``user`` ``password``, log in with it at ``base`` and land on the home page."""
    user.set_password(password)
    user.save()
    page.goto(base + "/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(base + "/")
