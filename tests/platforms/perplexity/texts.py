"""Perplexity's visible texts (English only: perplexity.md knows no French label) and the settings
catalogue.

Texts perplexity.md states are marked (md); the rest is the replica's own plain wording, which a flow
must not key on.
"""

from __future__ import annotations

from dataclasses import dataclass

RETENTION = "ai_data_retention"  # the AI setting's key in state and in the save request
AUTOSUGGEST = "autosuggest"  # neighbouring switches on the same page (the replica's own)
WIDGETS = "homepage_widgets"

RETENTION_LABEL = "AI data retention"  # (md)
RETENTION_LABEL_OLDER = "AI Data Usage"  # (md) the older name: the `older_release` variant
RETENTION_HELP = ("AI Data Retention allows Perplexity to use your searches to improve AI models. Turn this "
                  "setting off if you wish to exclude your data from this process.")  # (md)
AUTOSUGGEST_LABEL = "Autosuggest"
AUTOSUGGEST_HELP = "Enable dropdown and tab-complete suggestions while typing a query."
WIDGETS_LABEL = "Homepage widgets"
WIDGETS_HELP = "Show weather, markets and news on your homepage."
MODEL_LABEL = "Model"
MODEL_VALUE = "Best"
MODEL_HELP = "The model used for your searches by default."
THEME_LABEL = "Appearance"
THEME_VALUE = "System"
LANGUAGE_LABEL = "Language"
LANGUAGE_VALUE = "English"

ALL_SETTINGS = "All settings"  # (md) the profile menu's entry
PREFERENCES = "Preferences"  # (md) the settings tab
AI_SECTION = "Artificial Intelligence"  # (md) the section on Preferences
SAVE_ERROR = "Something went wrong. Please try again."
NOT_OFFERED = "Your organization manages how your data is used. Contact your administrator to learn more."

# Sign-in (perplexity.md: email then an emailed code, or Google or Apple, no password; general knowledge).
SIGNIN_TITLE = "Welcome"
SIGNIN_SUB = "Sign in or sign up to continue"
GOOGLE = "Continue with Google"
APPLE = "Continue with Apple"
EMAIL_LABEL = "Email"
EMAIL_PLACEHOLDER = "Enter your email"
CONTINUE_EMAIL = "Continue with email"
CODE_TITLE = "Check your email"
CODE_SENT = "A temporary sign-in code has been sent to {email}"
CODE_LABEL = "Code"
CODE_PLACEHOLDER = "Enter code"
CONTINUE = "Continue"
RESEND = "Resend code"
RESENT = "We sent you a new code."
OTHER_EMAIL = "Use a different email"
PASSWORD_LABEL = "Password"
TOTP_TITLE = "Two-factor authentication"
TOTP_BODY = "Enter the 6-digit code from your authenticator app."
TOTP_LABEL = "Authentication code"
VERIFY = "Verify"

ERR_EMAIL = "Please enter a valid email address."
ERR_CODE = "Invalid code. Please try again."
ERR_CODE_SPENT = "Too many attempts. Request a new code."
ERR_PASSWORD = "Incorrect email or password."
ERR_TOTP = "Invalid authentication code."
ERR_EXPIRED = "Your sign-in attempt expired. Please start again."
ERR_SSO = "Sign-in with {provider} is not available right now. Please continue with email."
NETWORK = "Network error. Please try again."

# Guest chrome
SIGN_UP = "Sign Up"
LOG_IN = "Log in"
ASK = "Ask anything…"

PLANS = {"free": "Free", "pro": "Pro", "max": "Max", "enterprise": "Enterprise Pro"}
CONSUMER_PLANS = frozenset({"free", "pro", "max"})  # (md) the searches of Free, Pro and Max users


@dataclass(frozen=True)
class Tab:
    key: str
    label: str


# The settings tabs, in order. Their paths are the replica's own (see replica.TAB_PATHS).
TABS: tuple[Tab, ...] = (
    Tab("account", "Account"),
    Tab("preferences", PREFERENCES),
    Tab("personalization", "Personalization"),
    Tab("notifications", "Notifications"),
    Tab("connectors", "Connectors"),
)
