"""Settings for the Huzhou union portal. Everything comes from the environment with safe local
defaults; production (DJANGO_ENV=production) has no default for any secret."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from huzhou_union.env import envbool, envint, envsecret, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = envstr("DJANGO_ENV", "local") == "production"

DEBUG = envbool("DEBUG", "False" if PRODUCTION else "True")

# Local-only fallbacks: loud names so nobody mistakes them for real secrets.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
_DEV_ID_KEY = "dev:ZGV2LW9ubHktaWQtbnVtYmVyLWtleS0zMmJ5dGVzISE="
_DEV_ID_HASH_KEY = "dev-only-id-number-hash-key"


def _required(name: str, dev_default: str) -> str:
    value = envsecret(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return dev_default


SECRET_KEY = _required("SECRET_KEY", _DEV_SECRET_KEY)
# AES-256-GCM key ring "<id>:<base64url key>,...": the first encrypts, all decrypt (README: rotation).
MEMBER_ID_KEYS = [k.strip() for k in _required("MEMBER_ID_KEYS", _DEV_ID_KEY).split(",") if k]
MEMBER_ID_HASH_KEY = _required("MEMBER_ID_HASH_KEY", _DEV_ID_HASH_KEY)

ALLOWED_HOSTS = [
    h.strip()
    for h in envstr("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(
        ","
    )
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_celery_beat",
    "common",
    "members",
    "activities",
    "skills",
    "welfare",
    "dashboard",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "huzhou_union.urls"
WSGI_APPLICATION = "huzhou_union.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", "60"),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- security: strict in production, relaxed for a local run -------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["members.permissions.IsScopedStaff"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "common.schema.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "湖州市总工会 Portal API",
    "DESCRIPTION": "会员实名制数据库及各业务条线的接口；权限与后台一致，按工会组织树限定范围。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a field named status/kind/level with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "MemberStatusEnum": "members.models.Member.Status",
        "TransferStatusEnum": "members.models.MemberTransfer.Status",
        "UnionLevelEnum": "members.models.Union.Level",
        "EmploymentFormEnum": "members.models.Member.EmploymentForm",
        "CompetitionLevelEnum": "skills.models.Competition.Level",
        "AcademyLevelEnum": "skills.models.CraftsmanAcademy.Level",
        "StudioLevelEnum": "skills.models.InnovationStudio.Level",
        "HonourKindEnum": "skills.models.Honour.Kind",
        "SessionKindEnum": "skills.models.SkillSession.Kind",
        "StudioKindEnum": "skills.models.InnovationStudio.Kind",
        "ResultKindEnum": "skills.models.InnovationResult.Kind",
        "IdeaStatusEnum": "skills.models.GoldenIdea.Status",
        "EntryAwardEnum": "skills.models.CompetitionEntry.Award",
        "SkillLevelEnum": "skills.models.SkillCertification.Level",
        "ClaimStateEnum": "welfare.models.Claim.State",
        "ClaimCategoryEnum": "welfare.models.Claim.Category",
        "HardshipCategoryEnum": "welfare.models.HardshipCase.Category",
        "BenefitKindEnum": "welfare.models.BenefitLine.Kind",
        "StationKindEnum": "welfare.models.ServiceStation.Kind",
        "RecuperationKindEnum": "welfare.models.RecuperationProgramme.Kind",
        "LegalAidKindEnum": "welfare.models.LegalAidEvent.Kind",
        "ModelSiteLevelEnum": "welfare.models.LabourRelationsSite.Level",
        "ConcernStatusEnum": "welfare.models.Concern.Status",
        "ConcernChannelEnum": "welfare.models.Concern.Channel",
        "VisitOccasionEnum": "welfare.models.Visit.Occasion",
        "FundSourceEnum": "welfare.models.AssistanceFund.Source",
    },
}

# --- spreadsheets ---------------------------------------------------------------------------
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# An upload between preview and confirmation is sealed in PostgreSQL, never a file in /tmp.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "common.uploads.EncryptedUploadStorage"

# --- Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process ------------
REDIS_URL = envstr("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "False" if REDIS_URL else "True")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", "3600")
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", "3300")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# A roll-up whose heartbeat is older than this is taken to be dead, and the next run takes over.
DASHBOARD_ROLLUP_STALE_MINUTES = envint("DASHBOARD_ROLLUP_STALE_MINUTES", "10")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
