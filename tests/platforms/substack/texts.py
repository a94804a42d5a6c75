"""Visible texts of the Substack replica. Texts marked (md) come from shared/platforms/substack.md;
every other wording is the replica's own, and no flow may depend on it."""

from __future__ import annotations

from dataclasses import dataclass

SETTING_ID = "block-ai-training"

LABEL_2026 = "Opt out of AI training"  # (md) the 2026 label
LABEL_OLDER = "Block AI training"  # (md) the earlier label
# (md) the 2026 help text; the source cuts it off after "content", the replica ends it there.
HELP_2026 = ("Tells third-party AI-tools like ChatGPT and Google Gemini that their models should not be "
             "trained on your content.")

SAVE_ERROR = "Couldn't save your changes. Please try again."
WRONG_PASSWORD = "Incorrect email or password."
WRONG_CODE = "That code isn't right. Please try again."
LINK_EXPIRED = "This sign-in link has expired or was already used."
NO_EMAIL = "Please enter your email."


@dataclass(frozen=True)
class Switch:
    key: str  # the save API's field (and the state's key)
    label: str
    help: str = ""


@dataclass(frozen=True)
class Section:
    slug: str  # the tab's path under /publish/settings/ when `privacy_tab` splits the page
    title: str
    switches: tuple[Switch, ...] = ()
    text: str = ""  # a line shown in a section without switches


AI_KEY = "block_ai_training"
# Neighbours of the AI switch: they must never change when the AI one is saved.
SEARCH = Switch("search_engine_indexing", "Allow search engines to index your publication",
                "Lets Google and other search engines show your posts in their results.")
EMAIL_POSTS = Switch("email_new_posts", "Send new posts to subscribers by email")
NEIGHBOURS = {SEARCH.key: True, EMAIL_POSTS.key: True}  # their defaults

BASICS = Section("basics", "Basics")
EMAILS = Section("emails", "Emails", (EMAIL_POSTS,))
PAYMENTS = Section("payments", "Payments", text="Connect Stripe to start accepting payments.")

# (md) 2026: the publication's settings -> privacy -> "Opt out of AI training" (with its help text).
SECTIONS_2026 = (BASICS, EMAILS, Section("privacy", "Privacy", (SEARCH, Switch(AI_KEY, LABEL_2026, HELP_2026))),
                 PAYMENTS)
# (md) earlier: the publication's Settings -> Publication details -> "Block AI training" (no help text known).
SECTIONS_OLDER = (BASICS, Section("details", "Publication details", (SEARCH, Switch(AI_KEY, LABEL_OLDER))),
                  EMAILS, PAYMENTS)
