"""Texts of the Meta (Facebook, Instagram) replicas.

Texts marked "meta.md" are copied from shared/platforms/meta.md and must stay exact. Everything else
is the replica's own plausible wording: meta.md knows no label of the sign-in pages, of the 2025
explanation field, of the code step or of the pages around the forms, and no French at all. A flow
must not key on the replica's own wording (find fields by label *kind* and input type instead).
`{brand}` is filled with "Facebook" or "Instagram".
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("en", "fr")

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        # sign-in (general knowledge, not meta.md: replica's own)
        "fb_login_title": "Log in to Facebook",
        "ig_login_title": "Login • Instagram",
        "fb_login_heading": "Log in to Facebook",
        "ig_login_heading": "Log in to Instagram",
        "fb_login_user": "Email address or phone number",
        "ig_login_user": "Phone number, username or email address",
        "password": "Password",
        "log_in": "Log in",
        "forgot": "Forgotten password?",
        "err_unknown": "The email address you entered isn't connected to an account.",
        "err_password": "The password that you've entered is incorrect.",
        "err_empty": "Please enter your email address and password.",
        "err_session": "Your session has expired. Please log in again.",
        "tfa_title": "Two-factor authentication required",
        "tfa_body": "Enter the 6-digit code from your authentication app.",
        "fb_tfa_label": "Code",
        "ig_tfa_label": "Security code",
        "continue": "Continue",
        "tfa_wrong": "The code you entered isn't right. Check your authentication app and try again.",
        # signed in, the click path (meta.md names: Settings & Privacy, Privacy Center, Privacy Topics,
        # AI at Meta, "right to object"; the pages' other text is the replica's own)
        "home_title": "{brand}",
        "home_heading": "Welcome back, {name}",
        "settings_privacy": "Settings & Privacy",  # meta.md
        "settings": "Settings",
        "settings_title": "Settings & Privacy",
        "accounts_centre": "Accounts Centre",
        "personal_details": "Personal details",
        "password_security": "Password and security",
        "notifications": "Notifications",
        "privacy_center": "Privacy Center",  # meta.md
        "privacy_center_intro": "Learn how to manage and control your privacy on Meta products.",
        "privacy_topics": "Privacy Topics",  # meta.md
        "topic_security": "Security",
        "topic_sharing": "Sharing",
        "topic_collection": "Collection",
        "topic_use": "Use",
        "topic_ads": "Ads",
        "ai_at_meta": "AI at Meta",  # meta.md
        "ai_intro": "How Meta uses information for generative AI models and features.",
        "ai_object_before": "You have the",
        "right_to_object": "right to object",  # meta.md: the link's text
        "ai_object_after": "to your information being used for AI at Meta.",
        "ai_third_party": "Submit a request about information from third parties used for AI at Meta",
        "log_out": "Log out",
        # help centre
        "fb_help_title": "Facebook Help Centre",
        "ig_help_title": "Instagram Help Centre",
        "help_heading": "How can we help?",
        "help_using": "Using {brand}",
        "help_account": "Managing your account",
        "help_privacy": "Privacy, safety and security",
        "help_policies": "Policies and reporting",
        "not_found_title": "This content isn't available right now",
        "not_found_body": "When this happens, it's usually because the owner only shared it with a small group "
                          "of people, changed who can see it or it's been deleted.",
        "error_title": "Sorry, something went wrong.",
        "error_body": "We're working on getting this fixed as soon as we can. You may be able to try again.",
        "unavailable_title": "Sorry, something went wrong.",
        "unavailable_body": "This page isn't available at the moment. Please try again later.",
        "script_error": "Something went wrong. Please try again.",
        # the objection form (title, intro and the 2025 explanation label: the replica's own)
        "form_title": "Object to your information being used for AI at Meta",
        "form_intro": "We use information shared on Meta Products and Services to develop and improve AI at "
                      "Meta. You have the right to object to your information being used for these purposes.",
        "country": "Country of residence",  # meta.md (2024)
        "country_pick": "Select a country",
        "email": "Email address",  # meta.md (2024 "Email address"; 2025 "email")
        "reason": "Tell us how this processing affects you",  # meta.md (2024)
        "explanation": "Additional information (optional)",  # 2025: meta.md only says "an optional explanation"
        "choices_legend": "What would you like to do?",
        "send": "Send",  # meta.md
        "err_email": "Please enter a valid email address.",
        "err_country": "Please select your country of residence.",
        "err_reason": "Please tell us how this processing affects you.",
        "err_choice": "Please choose an option.",
        "err_form_expired": "This form has expired. Please reload the page and try again.",
        # the 2024 code step (meta.md: "a 6-digit code is emailed and must be typed in to confirm")
        "code_title": "Check your email",
        "code_body": "We sent a 6-digit code to {email}. Enter it below to confirm your request.",
        "code_label": "Confirmation code",
        "code_confirm": "Confirm",
        "code_wrong": "That code isn't right. Check your email and try again.",
        "code_gone": "This confirmation code has expired. Please send the form again.",
        # the confirmation (meta.md: "will be applied going forward" … "you'll receive an email with details")
        "done_title": "Your request has been submitted",
        "done_body": "We'll honour your objection. This means your request will be applied going forward.",
        "done_mail": "You'll receive an email with details.",
        # the third-party form (meta.md gives its title only)
        "tp_title": "Data Subject Rights for Third Party Information Used for AI at Meta",  # meta.md
        "tp_intro": "Use this form if you want to make a request about your personal information from third "
                    "parties that is used to develop and improve AI at Meta.",
        "tp_request": "What would you like to do?",
        "tp_access": "Access, download or correct my personal information from third parties",
        "tp_delete": "Delete my personal information from third parties",
        "tp_object": "Object to or restrict the processing of my personal information from third parties",
        "tp_pick": "Select an option",
        "tp_details": "Please provide the details of your request",
        "tp_done": "Thanks for contacting us. We'll review your request and get back to you by email.",
    },
    "fr": {
        # only the forms' own pages are French (the 2024 French URL); the replica's own ordinary French
        "fb_help_title": "Pages d'aide Facebook",
        "ig_help_title": "Pages d'aide Instagram",
        "error_title": "Désolé, un problème est survenu.",
        "error_body": "Nous travaillons à le résoudre dès que possible. Vous pourrez peut-être réessayer.",
        "unavailable_title": "Désolé, un problème est survenu.",
        "unavailable_body": "Cette page n'est pas disponible pour le moment. Veuillez réessayer plus tard.",
        "script_error": "Un problème est survenu. Veuillez réessayer.",
        "help_heading": "Comment pouvons-nous vous aider ?",
        "help_using": "Utiliser {brand}",
        "help_account": "Gérer votre compte",
        "help_privacy": "Confidentialité, sécurité et protection",
        "help_policies": "Règles et signalements",
        "form_title": "Vous opposer à l'utilisation de vos informations pour l'IA chez Meta",
        "form_intro": "Nous utilisons les informations partagées sur les Produits et Services Meta pour développer "
                      "et améliorer l'IA chez Meta. Vous avez le droit de vous opposer à l'utilisation de vos "
                      "informations à ces fins.",
        "country": "Pays de résidence",
        "country_pick": "Sélectionnez un pays",
        "email": "Adresse e-mail",
        "reason": "Dites-nous comment ce traitement vous affecte",
        "explanation": "Informations complémentaires (facultatif)",
        "choices_legend": "Que souhaitez-vous faire ?",
        "send": "Envoyer",
        "err_email": "Veuillez saisir une adresse e-mail valide.",
        "err_country": "Veuillez sélectionner votre pays de résidence.",
        "err_reason": "Veuillez nous dire comment ce traitement vous affecte.",
        "err_choice": "Veuillez choisir une option.",
        "err_form_expired": "Ce formulaire a expiré. Veuillez recharger la page et réessayer.",
        "code_title": "Consultez vos e-mails",
        "code_body": "Nous avons envoyé un code à 6 chiffres à {email}. Saisissez-le ci-dessous pour confirmer "
                     "votre demande.",
        "code_label": "Code de confirmation",
        "code_confirm": "Confirmer",
        "code_wrong": "Ce code est incorrect. Vérifiez vos e-mails et réessayez.",
        "code_gone": "Ce code de confirmation a expiré. Veuillez renvoyer le formulaire.",
        "done_title": "Votre demande a été envoyée",
        "done_body": "Nous respecterons votre opposition. Cela signifie que votre demande sera appliquée à "
                     "l'avenir.",
        "done_mail": "Vous recevrez un e-mail contenant les détails.",
        "not_found_title": "Ce contenu n'est pas disponible pour le moment",
        "not_found_body": "Le propriétaire l'a peut-être partagé avec un petit groupe de personnes, a modifié les "
                          "personnes qui peuvent le voir, ou l'a supprimé.",
    },
}


def text(lang: str, key: str, **fmt: str) -> str:
    """The text in `lang`, else English (pages outside the French form are English only)."""
    value = TEXTS.get(lang, {}).get(key) or TEXTS["en"][key]
    return value.format(**fmt) if fmt else value


@dataclass(frozen=True)
class Choice:
    """A choice reported on the objection page (variant `choices`)."""

    key: str
    en: str
    fr: str
    opts_out: bool  # is this the opt-out (object to my information for Meta AI)?

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


CHOICES: tuple[Choice, ...] = (
    # meta.md verbatim:
    Choice("meta_ai", "I want to object to the use of my information for Meta AI",
           "Je souhaite m'opposer à l'utilisation de mes informations pour Meta AI", True),
    # meta.md: "…from third parties for Meta AI" (full label unknown; the rest is the replica's own)
    Choice("third_party", "I want to object to the use of my information from third parties for Meta AI",
           "Je souhaite m'opposer à l'utilisation de mes informations provenant de tiers pour Meta AI", False),
    # meta.md: "I have a different objection…" (the rest is the replica's own)
    Choice("different", "I have a different objection or request",
           "J'ai une autre opposition ou demande", False),
    # meta.md: a separate item
    Choice("whatsapp", "Your messages with AIs on WhatsApp", "Vos messages avec des IA sur WhatsApp", False),
)

# The three requests of the third-party form (keys -> text keys).
TP_REQUESTS = ("tp_access", "tp_delete", "tp_object")

# meta.md: the form is offered in the EU/EEA, the UK and Switzerland.
OFFERED = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "GB", "UK", "CH"})
# meta.md, *unsure*: also reported for Brazil, Japan, South Korea (variant `extra_regions`).
EXTRA = frozenset({"BR", "JP", "KR"})

COUNTRIES: dict[str, tuple[str, str]] = {  # code -> (English, French)
    "AT": ("Austria", "Autriche"), "BE": ("Belgium", "Belgique"), "BG": ("Bulgaria", "Bulgarie"),
    "HR": ("Croatia", "Croatie"), "CY": ("Cyprus", "Chypre"), "CZ": ("Czech Republic", "République tchèque"),
    "DK": ("Denmark", "Danemark"), "EE": ("Estonia", "Estonie"), "FI": ("Finland", "Finlande"),
    "FR": ("France", "France"), "DE": ("Germany", "Allemagne"), "GR": ("Greece", "Grèce"),
    "HU": ("Hungary", "Hongrie"), "IE": ("Ireland", "Irlande"), "IT": ("Italy", "Italie"),
    "LV": ("Latvia", "Lettonie"), "LT": ("Lithuania", "Lituanie"), "LU": ("Luxembourg", "Luxembourg"),
    "MT": ("Malta", "Malte"), "NL": ("Netherlands", "Pays-Bas"), "PL": ("Poland", "Pologne"),
    "PT": ("Portugal", "Portugal"), "RO": ("Romania", "Roumanie"), "SK": ("Slovakia", "Slovaquie"),
    "SI": ("Slovenia", "Slovénie"), "ES": ("Spain", "Espagne"), "SE": ("Sweden", "Suède"),
    "IS": ("Iceland", "Islande"), "LI": ("Liechtenstein", "Liechtenstein"), "NO": ("Norway", "Norvège"),
    "GB": ("United Kingdom", "Royaume-Uni"), "CH": ("Switzerland", "Suisse"),
    "BR": ("Brazil", "Brésil"), "JP": ("Japan", "Japon"), "KR": ("South Korea", "Corée du Sud"),
}


def country_name(code: str, lang: str) -> str:
    en, fr = COUNTRIES[code]
    return fr if lang == "fr" else en
