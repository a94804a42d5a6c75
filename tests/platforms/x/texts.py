"""Texts and the settings catalogue of the X replica (shared/platforms/x.md).

Strings x.md gives are copied exactly (both the 2026 and the July 2024 wording). Everything else is
the replica's own plain English (marked "replica's own" below): flows must not key on it.
English only: x.md knows two French strings, so there is no French mode (see README.md).
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- from x.md

GROK_ROW = "Grok & Third-party Collaborators"
GROK_ROW_2024 = "Grok"
TRAINING_LABEL = ("Allow your public data as well as your interactions, inputs, and results with Grok and xAI "
                  "to be used for training and fine-tuning")
TRAINING_LABEL_2024 = ("Allow your posts as well as your interactions, inputs, and results with Grok to be used "
                       "for training and fine-tuning")
TRAINING_HELP = ("X may share with xAI your X public data as well as your user interactions, inputs and results "
                 "with Grok on X to train and fine-tune Grok and other AI models developed by xAI.")
# x.md gives the first sentence and "…"; the second sentence completes it (replica's own completion).
TRAINING_HELP_2024 = ("To continuously improve your experience, we may utilize your X posts as well as your user "
                      "interactions, inputs and results with Grok for training and fine-tuning purposes. This also "
                      "means that your interactions, inputs, and results may also be shared with our service "
                      "provider xAI for these purposes.")
DATA_SHARING = "Data Sharing"
PERSONALIZE_LABEL = "Allow X to personalize your experience with Grok"
MEMORY_LABEL = "Allow Grok to remember your conversation history"
DELETE_HISTORY = "Delete conversation history"
SOMETHING_WRONG = "Something went wrong. Try reloading."
RETRY = "Retry"
PRIVACY_TITLE = "Privacy and safety"
DATA_SECTION = "Data sharing and personalization"
SETTINGS_AND_PRIVACY = "Settings and privacy"
MORE = "More"
NEXT = "Next"

# ---------------------------------------------------------------- the replica's own (x.md is silent)

PERSONALIZE_HELP = "Grok may use your profile, posts and engagement on X to make its answers more relevant to you."
MEMORY_HELP = "Grok may refer to your earlier conversations to give more relevant answers."
PERSONALIZATION = "Personalization"
DELETE_CONFIRM_TITLE = "Delete conversation history?"
DELETE_CONFIRM_BODY = "This can’t be undone. Your conversations with Grok will be removed from X."
DELETE = "Delete"
CANCEL = "Cancel"
DELETED = "Your conversation history was deleted."
SAVE = "Save"
SAVED = "Your settings have been saved."
SAVE_ERROR = "Something went wrong, but don’t fret — let’s give it another shot."
LEARN_MORE = "Learn more"
LOADING = "Loading"
BACK = "Back"
SETTINGS = "Settings"

LOGIN = {
    "title": "Sign in to X",
    "identifier_label": "Phone, email, or username",
    "forgot": "Forgot password?",
    "no_account": "Don’t have an account?",
    "sign_up": "Sign up",
    "password_title": "Enter your password",
    "password_label": "Password",
    "log_in": "Log in",
    "alt_title": "Enter your phone number or username",
    "alt_body": ("There was unusual login activity on your account. To help keep your account safe, please enter "
                 "your phone number or username to verify it’s you."),
    "alt_label": "Phone or username",
    "tfa_title": "Enter your verification code",
    "tfa_body": "Use your code generator app to generate a code and enter it below.",
    "tfa_label": "Enter code",
    "close": "Close",
    "err_unknown": "Sorry, we could not find your account.",
    "err_password": "Wrong password!",
    "err_alt": "Incorrect. Please try again.",
    "err_code": "Your verification code is not correct. Please try again.",
    "err_flow": "Something went wrong. Let’s try that again.",
}

ACCESS = {
    "title": "Your account has been locked.",
    "body": ("We’ve detected some unusual activity on your account. To unlock it, show us you’re a person by "
             "completing the challenge below."),
    "start": "Start",
    "puzzle": "Type the characters you see in the picture.",
    "answer_label": "Characters",
    "verify": "Verify",
    "wrong": "That’s not right. Try again with the new picture.",
    "done": "Thank you! Your account is unlocked.",
    "continue": "Continue to X",
}

ERROR_PAGE = "Something went wrong, but don’t fret — it’s not your fault. Let’s try again."
TRY_AGAIN = "Try again"
NOT_FOUND = "Hmm...this page doesn’t exist. Try searching for something else."
SEARCH = "Search"
GENERIC_SETTING = "Manage this part of your account. (This page of the replica has no controls.)"


# ---------------------------------------------------------------- the settings catalogue

@dataclass(frozen=True)
class Row:
    slug: str  # /settings/<slug>
    title: str
    description: str


# The settings list (left column of every settings page), in X's order (labels: replica's own
# reading of X; only "Privacy and safety" is from x.md).
SETTINGS_LIST: tuple[Row, ...] = (
    Row("account", "Your account", "See information about your account, download an archive of your data."),
    Row("monetization", "Monetization", "See how you can make money on X."),
    Row("security_and_account_access", "Security and account access",
        "Manage your account’s security and keep track of your account’s usage."),
    Row("privacy_and_safety", PRIVACY_TITLE, "Manage what information you see and share on X."),
    Row("notifications", "Notifications", "Select the kinds of notifications you get about your activities."),
    Row("accessibility_display_and_languages", "Accessibility, display, and languages",
        "Manage how X content is displayed to you."),
    Row("about", "Additional resources", "Check out other places for helpful information."),
)

# Privacy and safety: "Your X activity" (replica's own reading), then x.md's section in x.md's order.
ACTIVITY_SECTION = "Your X activity"
ACTIVITY_ROWS: tuple[Row, ...] = (
    Row("audience_and_tagging", "Audience, media and tagging", "Manage what information you allow other people "
        "on X to see."),
    Row("your_tweets", "Your posts", "Manage the information associated with your posts."),
    Row("content_you_see", "Content you see", "Decide what you see on X based on your preferences."),
    Row("mute_and_block", "Mute and block", "Manage the accounts, words, and notifications that you’ve muted "
        "or blocked."),
    Row("direct_messages", "Direct Messages", "Manage who can message you directly."),
    Row("spaces", "Spaces", "Manage who can see your Spaces listening activity."),
    Row("contacts", "Discoverability and contacts", "Control your discoverability settings and manage contacts "
        "you’ve imported."),
)
GROK_SLUG = "grok_settings"
DATA_ROWS: tuple[Row, ...] = (
    Row("ads_preferences", "Ads preferences", "Manage your ads experience on X."),
    Row("off_twitter_activity", "Inferred identity", "Allow X to personalize your experience with your inferred "
        "activity."),
    Row("data_sharing_with_business_partners", "Data sharing with business partners",
        "Allow sharing of additional information with X’s business partners."),
    Row("location_information", "Location information", "Manage the location information X uses to personalize "
        "your experience."),
)
LEARN_SECTION = "Learn more about privacy on X"
LEARN_LINKS = (("Privacy center", "https://privacy.x.com/"), ("Privacy policy", "https://x.com/privacy"),
               ("Contact us", "https://help.x.com/forms/privacy"))

# Every /settings/<slug> page the replica serves without controls of its own.
GENERIC_PAGES: dict[str, str] = {r.slug: r.title for r in (*SETTINGS_LIST, *ACTIVITY_ROWS, *DATA_ROWS)
                                 if r.slug != "privacy_and_safety"}

NAV = (("Home", "/home"), ("Explore", "/explore"), ("Notifications", "/notifications"),
       ("Messages", "/messages"), ("Grok", "/i/grok"))
MORE_ITEMS = (("Lists", "/i/lists"), ("Bookmarks", "/i/bookmarks"), ("Communities", "/i/communities"),
              ("Premium", "/i/premium_sign_up"), (SETTINGS_AND_PRIVACY, "/settings"))
