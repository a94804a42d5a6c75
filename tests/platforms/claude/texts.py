"""Claude's visible texts (English only: claude.md knows no French label) and the settings catalogue.

Texts claude.md states are marked (md); the rest is the replica's own plain wording, which a flow
must not key on.
"""

from __future__ import annotations

from dataclasses import dataclass

HELP_IMPROVE = "help_improve"  # the AI-training setting's key in state and in the save request
LOCATION = "location_metadata"  # a neighbouring switch on the same page (the replica's own)

HELP_LABEL = "Help improve Claude"  # (md) most 2025-26 sources
HELP_LABEL_NEWER = "Help improve our AI models"  # (md) the 2026 audit: the `newer_release` variant
HELP_DESC = "Allow the use of your chats and coding sessions to train and improve Anthropic AI models."  # (md)
LOCATION_LABEL = "Location metadata"
LOCATION_DESC = "Allow Claude to use coarse location metadata (city/region) to improve product experiences."

MODAL_TITLE = "Updates to Consumer Terms and Policies"  # (md)
MODAL_INTRO = ("We’re updating our Consumer Terms and Privacy Policy. You can now choose whether your chats "
               "and coding sessions may be used to train and improve Anthropic AI models.")
MODAL_RETENTION = ("With this setting on, we keep your data for up to 5 years. With it off, we keep it for "
                   "30 days.")
MODAL_DEADLINE = "Please make your choice by October 8, 2025. You can change it at any time in Privacy settings."
MODAL_ACCEPT = "Accept"
MODAL_LATER = "Not now"

SETTINGS = "Settings"  # (md) first step of the click path
PRIVACY = "Privacy"  # (md) second step of the click path
SAVE_ERROR = "Something went wrong. Please try again."
EXPORT_DONE = "We’re preparing your export. You’ll get an email with a download link."

# Sign-in (claude.md: email, then a code sent by email, or "Continue with Google"; general knowledge).
LOGIN_TITLE = "Sign in"
LOGIN_SUB = "Sign in or create an account to chat with Claude."
EMAIL_LABEL = "Email"
EMAIL_PLACEHOLDER = "Enter your email"
CONTINUE_EMAIL = "Continue with email"
CONTINUE_GOOGLE = "Continue with Google"
CODE_TITLE = "Check your email"
CODE_SENT = "We sent a verification code to {email}."
CODE_LABEL = "Verification code"
CODE_SUBMIT = "Verify email address"
CODE_RESEND = "Resend code"
CODE_RESENT = "We sent you a new code."
OTHER_EMAIL = "Use a different email"
PASSWORD_LABEL = "Password"
PASSWORD_SUBMIT = "Continue"
TOTP_TITLE = "Two-factor authentication"
TOTP_BODY = "Enter the 6-digit code from your authenticator app."
TOTP_LABEL = "Authentication code"
TOTP_SUBMIT = "Verify"

ERR_EMAIL = "Please enter a valid email address."
ERR_CODE = "Invalid verification code. Please try again."
ERR_CODE_SPENT = "Too many attempts. Request a new code."
ERR_PASSWORD = "Incorrect email or password."
ERR_TOTP = "Invalid authentication code."
ERR_EXPIRED = "Your sign-in attempt expired. Please start again."
ERR_GOOGLE = "We couldn’t sign you in with Google. Please try again or continue with email."

PLANS = {"free": "Free plan", "pro": "Pro plan", "max": "Max plan", "team": "Team plan",
         "enterprise": "Enterprise plan"}
CONSUMER_PLANS = frozenset({"free", "pro", "max"})  # (md) only Free, Pro and Max are concerned


@dataclass(frozen=True)
class Tab:
    slug: str  # the path under /settings/
    label: str


# The settings tabs, in order; "Privacy" is claude.md's deep link.
TABS: tuple[Tab, ...] = (
    Tab("general", "General"),
    Tab("account", "Account"),
    Tab("data-privacy-controls", PRIVACY),
    Tab("billing", "Billing"),
    Tab("capabilities", "Capabilities"),
    Tab("connectors", "Connectors"),
)
PRIVACY_SLUG = "data-privacy-controls"
