"""Adobe's visible texts (English only: adobe.md knows no French label) and the settings catalogue.

Texts adobe.md states are marked (md); the rest is the replica's own plain wording (the sign-in texts
stand for what adobe.md calls general knowledge, *unsure*), on which a flow must not key.
"""

from __future__ import annotations

# ---------------------------------------------------------------- the Privacy switches
# Keys in state and in the save request.
CONTENT_ANALYSIS = "contentAnalysis"
DESKTOP_USAGE = "desktopAppUsage"
OFFERS = "personalizedOffers"
NEIGHBOURS = (DESKTOP_USAGE, OFFERS)  # the replica's own neighbours, which a save must never touch

LABELS = {
    CONTENT_ANALYSIS: "Content analysis",  # (md)
    DESKTOP_USAGE: "Desktop app usage",
    OFFERS: "Personalized offers",
}
HELP = {
    # (md, *unsure*) the sentence beside the switch; the `sentence=other` variant gives OTHER_SENTENCE.
    CONTENT_ANALYSIS: "Allow my content to be analyzed by Adobe for product improvement and development purposes",
    DESKTOP_USAGE: "Share information about how you use Adobe desktop apps.",
    OFFERS: "Show offers based on the Adobe products you use.",
}
OTHER_SENTENCE = "Adobe may analyze your content using techniques such as machine learning to improve its services."

# ---------------------------------------------------------------- the account site (md click path)
ACCOUNT_AND_SECURITY = "Account and security"  # (md)
PRIVACY_LABELS = {  # (md) the page's name; adobe.md: "also called 'Data and privacy'"
    "privacy_and_personal_data": "Privacy and personal data",
    "data_and_privacy": "Data and privacy",
}
OVERVIEW = "Overview"
PLANS = "Plans and payment"
SUPPORT = "Support"
PERSONAL_PROFILE = "Personal profile"
SIGNIN_SECURITY = "Sign-in and security"
COMMUNICATION = "Communication preferences"
PRIVACY_INTRO = "Choose how Adobe collects and uses your data."
CA_ROW_HELP = "Manage whether Adobe analyzes your content."  # the `content_analysis_page` row's hint
BACK = "Back"
SIGN_OUT = "Sign out"
WELCOME = "Welcome back, {name}"
SAVE_ERROR = "Something went wrong. Your change was not saved. Try again."
ADOBE_ACCOUNT = "Adobe Account"

# ---------------------------------------------------------------- sign-in (general knowledge, *unsure*)
SIGN_IN = "Sign in"
EMAIL_LABEL = "Email address"
CONTINUE = "Continue"
SOCIAL = {"google": "Continue with Google", "facebook": "Continue with Facebook", "apple": "Continue with Apple"}
SOCIAL_FAILED = "We couldn't connect to {provider}. Go back and sign in with your email address."
PASSWORD_TITLE = "Enter your password"
PASSWORD_LABEL = "Password"
CHANGE_EMAIL = "Change"
CODE_TITLE = "Enter your code"
CODE_SENT = "We sent a code to {email}. It expires in 10 minutes."
CODE_LABEL = "Code"
RESEND = "Resend code"
RESENT = "We sent a new code."
TOTP_TITLE = "Verify your identity"
TOTP_BODY = "Enter the 6-digit code from your authenticator app."
TOTP_LABEL = "Verification code"
VERIFY = "Verify"
ERR_EMAIL = "Enter a valid email address."
ERR_UNKNOWN = "We couldn't find an Adobe account with that email address."
ERR_PASSWORD = "Incorrect password. Try again."
ERR_CODE = "That code is incorrect. Try again."
ERR_CODE_SPENT = "That code can no longer be used. Select Resend code to get a new one."
ERR_TOTP = "That verification code is incorrect."
ERR_EXPIRED = "Your sign-in session expired. Start again."
UNAVAILABLE_TITLE = "Service unavailable"
UNAVAILABLE_BODY = "Adobe Account is temporarily unavailable. Try again in a few minutes."
NOT_FOUND_TITLE = "Page not found"
NOT_FOUND_BODY = "We couldn't find the page you're looking for."
