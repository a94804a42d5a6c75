"""Microsoft Copilot's visible texts (English only: copilot.md knows no French label) and the settings
catalogue.

Texts copilot.md states are marked (md); the rest is the replica's own plain wording (the Microsoft
account sign-in texts are general knowledge of login.live.com, which copilot.md marks *unsure*), which
a flow must not key on.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- the Privacy switches
# Keys in state and in the save request (camelCase, as a script-built app sends them).
TEXT = "trainingOnText"
VOICE = "trainingOnVoice"
PERSONALIZATION = "personalization"
ADS = "adPersonalization"
TRAINING = (TEXT, VOICE)  # the two AI-training switches (md)
NEIGHBOURS = (PERSONALIZATION, ADS)  # (md) the neighbours to leave alone

LABELS = {
    TEXT: "Model training on text",  # (md)
    VOICE: "Model training on voice",  # (md)
    PERSONALIZATION: "Personalization and memory",  # (md)
    ADS: "Ad personalization",  # (md)
}
HELP = {
    TEXT: "Allow Microsoft to use your conversations with Copilot to train its generative AI models.",
    VOICE: "Allow Microsoft to use your voice conversations with Copilot to train its generative AI models.",
    PERSONALIZATION: "Copilot remembers details from your conversations to give more helpful answers.",
    ADS: "Show ads based on your Copilot conversations and your Microsoft activity.",
}
PRIVACY = "Privacy"  # (md)
SETTINGS = "Settings"  # (md)
ACCOUNT = "Account"  # (md) the mobile app's path: Settings → Account → Privacy → Model training
MODEL_TRAINING = "Model training"  # (md) the same
MODEL_TRAINING_HELP = "Choose whether your conversations are used to train Microsoft's AI models."
PROFILE_PICTURE = "Profile picture"  # (md) "profile picture": the avatar's alt text
SAVE_ERROR = "Something went wrong. Please try again."
PRIVACY_INTRO = "Manage how Copilot uses your data."
EXPORT = "Export or delete your data"
PRIVACY_STATEMENT = "Microsoft Privacy Statement"

# ---------------------------------------------------------------- Microsoft account sign-in
# copilot.md: "a Microsoft account, signed in through login.live.com — email, then a password, an
# emailed or texted code, or approval in the Authenticator app" (general knowledge, unsure).
SIGN_IN = "Sign in"
EMAIL_LABEL = "Email, phone, or Skype"
NEXT = "Next"
NO_ACCOUNT = "No account? Create one!"
CANT_ACCESS = "Can't access your account?"
BACK = "Back"
PASSWORD_TITLE = "Enter password"
PASSWORD_LABEL = "Password"
FORGOT = "Forgot password?"
CODE_TITLE = "Enter code"
CODE_SENT_EMAIL = "We emailed a code to {hint}. Enter the code to sign in."
CODE_SENT_SMS = "We texted a code to {hint}. Enter the code to sign in."
CODE_LABEL = "Code"
RESEND = "Resend code"
RESENT = "We sent you a new code."
USE_PASSWORD = "Use your password instead"
APP_TITLE = "Approve sign in request"
APP_BODY = "Open your Authenticator app, and enter the number shown to sign in."
APP_WAITING = "Waiting for your approval…"
TOTP_TITLE = "Enter code"
TOTP_BODY = "Please type in the code displayed on your authenticator app from your device."
TOTP_LABEL = "Code"
VERIFY = "Verify"
KMSI_TITLE = "Stay signed in?"
KMSI_BODY = "Do this to reduce the number of times you are asked to sign in."
KMSI_DONT_SHOW = "Don't show this again"
YES, NO = "Yes", "No"

ERR_EMAIL = "Enter a valid email address, phone number, or Skype name."
ERR_UNKNOWN = "That Microsoft account doesn't exist. Enter a different account or get a new one."
ERR_PASSWORD = "Your account or password is incorrect. If you don't remember your password, reset it now."
ERR_CODE = "That code didn't work. Check the code and try again."
ERR_CODE_SPENT = "You've tried too many times. Request a new code."
ERR_TOTP = "You didn't enter the expected verification code. Please try again."
ERR_EXPIRED = "Your sign-in session has expired. Please start again."
NETWORK = "We couldn't reach the server. Please try again."

# ---------------------------------------------------------------- the app chrome
ASK = "Message Copilot"
GREETING = "Hi {name}, what's on your mind?"
GUEST_GREETING = "Hi, what's on your mind?"
MENU_FEEDBACK = "Give feedback"
MENU_SIGN_OUT = "Sign out"


@dataclass(frozen=True)
class Section:
    key: str
    label: str


# The Settings page's sections, in order (the replica's own list around the md's "Privacy"). Their
# paths are the replica's own (see replica.SECTION_PATHS).
SECTIONS: tuple[Section, ...] = (
    Section("account", ACCOUNT),
    Section("appearance", "Appearance"),
    Section("voice", "Voice"),
    Section("privacy", PRIVACY),
)
