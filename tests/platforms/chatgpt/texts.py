"""Texts of the ChatGPT replica (English only: chatgpt.md knows no French label).

Texts marked "chatgpt.md" are copied from shared/platforms/chatgpt.md and must stay exact. The rest
is the replica's own plausible wording; flows must not depend on it.
"""

from __future__ import annotations

# chatgpt.md: the switch's label, and its older release's label.
IMPROVE_LABEL = "Improve the model for everyone"
IMPROVE_LABEL_OLDER = "Chat history & training"
# chatgpt.md (*unsure*, seen only in a replica with the brand renamed): the description under it.
IMPROVE_DESCRIPTION = ("Allow your content to be used to train our models, which makes ChatGPT better for you "
                       "and everyone who uses it. We take steps to protect your privacy.")
# The replica's own wording for the older release's description (chatgpt.md gives none).
IMPROVE_DESCRIPTION_OLDER = ("Save new chats to your history and allow them to be used to improve our models. "
                             "This setting does not sync across browsers or devices.")
LEARN_MORE = "Learn more"

# Settings dialog tabs: (path-route slug, hash-route name, visible name). chatgpt.md gives
# "settings/data-controls" and "#settings/DataControls"; the other tabs are the replica's own.
TABS: tuple[tuple[str, str, str], ...] = (
    ("general", "General", "General"),
    ("personalization", "Personalization", "Personalization"),
    ("data-controls", "DataControls", "Data controls"),  # chatgpt.md
    ("security", "Security", "Security"),
    ("account", "Account", "Account"),
)
VISITOR_TABS = ("general", "data-controls")  # a signed-out browser's dialog

# The switch's key in the save request (the replica's own name).
IMPROVE_FEATURE = "training_allowed"
# Neighbouring switches (the replica's own): feature key -> (tab slug, label, default).
NEIGHBOURS: dict[str, tuple[str, str, bool]] = {
    "remote_browser_data": ("data-controls", "Remote browser data", False),
    "memory": ("personalization", "Reference saved memories", True),
}
# Dangerous buttons in Data controls (the replica's own): action -> (row label, button, confirm text, confirm button).
ACTIONS: dict[str, tuple[str, str, str, str]] = {
    "archive_all": ("Archive all chats", "Archive all", "Archive all of your chats?", "Confirm archive"),
    "delete_all": ("Delete all chats", "Delete all", "Clear your chat history - are you sure?",
                   "Confirm deletion"),
    "export": ("Export data", "Export", "Request data export - are you sure?", "Confirm export"),
}

# Plans (chatgpt.md: personal plans default On; Business, Enterprise and Edu default Off).
PERSONAL_PLANS = ("free", "go", "plus", "pro")
WORKSPACE_PLANS = ("business", "enterprise", "edu")
PLANS = PERSONAL_PLANS + WORKSPACE_PLANS
WORKSPACE_NOTE = ("Your workspace's content is excluded from model training. Your workspace admin manages "
                  "data sharing.")

T: dict[str, str] = {
    "app_title": "ChatGPT",
    "new_chat": "New chat",
    "search_chats": "Search chats",
    "composer": "Ask anything",
    "send": "Send prompt",
    "profile_menu": "Open profile menu",
    "upgrade": "Upgrade plan",
    "customize": "Customize ChatGPT",
    "settings": "Settings",
    "help": "Help",
    "log_out": "Log out",
    "log_in": "Log in",
    "sign_up": "Sign up for free",
    "guest_prompt": "Log in to get answers based on saved chats, plus create images and upload files.",
    "close": "Close",
    "manage": "Manage",
    "shared_links": "Shared links",
    "archived_chats": "Archived chats",
    "cancel": "Cancel",
    "save_error": "Something went wrong. Please try again.",
    "loading": "Loading…",
    "theme": "Theme",
    "theme_value": "System",
    "language": "Language",
    "language_value": "Auto-detect",
    "mfa": "Multi-factor authentication",
    "log_out_all": "Log out of all devices",
    "account_plan": "Plan",
    "not_found_title": "404 Page not found",
    "not_found_body": "The page you were looking for doesn't exist.",
    "unavailable_title": "Something went wrong",
    "unavailable_body": "There was a problem loading this page. Please try again later.",
    # auth pages (auth.openai.com's paths on the replica's origin)
    "auth_title": "Log in - OpenAI",
    "welcome_back": "Welcome back",
    "email": "Email address",
    "continue": "Continue",
    "no_account": "Don't have an account?",
    "or": "OR",
    "google": "Continue with Google",
    "microsoft": "Continue with Microsoft Account",
    "apple": "Continue with Apple",
    "enter_password": "Enter your password",
    "password": "Password",
    "edit": "Edit",
    "forgot": "Forgot password?",
    "check_inbox": "Check your inbox",
    "code_sent": "Enter the verification code we just sent to {email}.",
    "code": "Code",
    "resend": "Resend email",
    "resent": "We sent you a new code.",
    "mfa_title": "Verify your identity",
    "mfa_body": "Enter the 6-digit code from your authenticator app.",
    "err_email": "Email is not valid.",
    "err_unknown": "We couldn't find an account with that email address.",
    "err_password": "Incorrect email address or password",
    "err_code": "Incorrect code. Please try again.",
    "err_session": "Your session has ended. Please start again.",
    "err_provider": "This sign-in option is not available right now. Please use your email address.",
}
