"""Settings for the Huzhou union portal. Everything comes from the environment with safe local
defaults; production (DJANGO_ENV=production) has no default for any secret."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp
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
# Key ring "<id>:<algorithm>:<base64url key>,...": the first encrypts, all decrypt; algorithm is
# aes256gcm or sm4gcm, and an entry without one is AES-256-GCM (README: rotation, 密评).
MEMBER_ID_KEYS = [k.strip() for k in _required("MEMBER_ID_KEYS", _DEV_ID_KEY).split(",") if k]
# "hmac-sha256:<secret>", "hmac-sm3:<secret>", or a bare secret (HMAC-SHA256).
MEMBER_ID_HASH_KEY = _required("MEMBER_ID_HASH_KEY", _DEV_ID_HASH_KEY)


def _refuse_weak_production_secrets() -> None:
    """gunicorn runs no system checks, so a dev-default or malformed secret must stop the settings
    from loading at all: ImproperlyConfigured here is the only guard that always runs."""
    from members import crypto  # imports no models; safe before apps are ready

    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be a random string of at least 50 characters in production, "
            "not the dev default"
        )
    _primary, ring = crypto.parse_key_ring(tuple(MEMBER_ID_KEYS))  # raises on a bad entry
    dev_key = crypto.parse_key_entry(_DEV_ID_KEY)
    dev_entry = _DEV_ID_KEY.partition(":")[2]
    if dev_key.key_id in ring or any(entry.endswith(dev_entry) for entry in MEMBER_ID_KEYS):
        raise ImproperlyConfigured("MEMBER_ID_KEYS must not hold the dev default key in production")
    _algorithm, hash_secret = crypto.parse_hash_key(MEMBER_ID_HASH_KEY)
    if hash_secret == _DEV_ID_HASH_KEY.encode() or len(hash_secret) < 16:
        raise ImproperlyConfigured(
            "MEMBER_ID_HASH_KEY must be a random secret of at least 16 characters in production, "
            "not the dev default"
        )


if PRODUCTION:
    _refuse_weak_production_secrets()

ALLOWED_HOSTS = [
    h.strip()
    for h in envstr("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(
        ","
    )
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# A form that fails the CSRF check gets a Chinese page with a way back (common.errors).
CSRF_FAILURE_VIEW = "common.errors.csrf_failure"

INSTALLED_APPS = [
    "common.admin_site.HuzhouAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_celery_beat",
    # Who changed what (issue 10.7); pghistory would need PostgreSQL triggers, the demo runs on SQLite.
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "common",
    "members",
    "activities",
    "skills",
    "welfare",
    "dashboard",
    "portal",
]

MIDDLEWARE = [
    # First: one JSON line per request, timing everything below it (common.logs).
    "common.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "members.signin.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records request.user as the author of every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout marked during sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
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

# --- sign-in: lockout, tokens, sessions ------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the user's staff profile and union in one query (members/backends.py).
    "members.backends.ScopedModelBackend",
    # Only so that sessions signed in before ScopedModelBackend (they name this backend) stay
    # signed in until they expire: at most SESSION_IDLE_MINUTES after the release that added it,
    # then this line can go (until then a wrong password is checked by both, twice the hashing).
    "django.contrib.auth.backends.ModelBackend",
]
# Per account (any address: a slow spread-out guess) and per address (any account: one machine
# trying many names); either reaching the limit locks that account or address out for the cool-off.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
# Staff: ["username", "ip_address"]. The portal's SMS sign-in counts by number only here, since a
# carrier's NAT puts thousands of phones behind one address; portal/lockout.py counts its devices,
# and its addresses up to a ceiling of their own.
AXES_LOCKOUT_PARAMETERS = "portal.lockout.lockout_parameters"
# Failed portal sign-ins from one address in an hour before it is refused (abuse, not a person).
PORTAL_ADDRESS_FAILURE_LIMIT = envint("PORTAL_ADDRESS_FAILURE_LIMIT", "100")
# The portal's rate limits count by number and by device (portal/ratelimits.py); one address
# only meets these ceilings, far above a carrier NAT's crowd of honest phones, against a script.
# SMS codes sent to any numbers from one address in an hour.
PORTAL_ADDRESS_SMS_LIMIT = envint("PORTAL_ADDRESS_SMS_LIMIT", "1000")
# Codes entered and name / ID checks (sign-in, joining, a new phone) from one address in 10 minutes.
PORTAL_ADDRESS_SIGN_IN_LIMIT = envint("PORTAL_ADDRESS_SIGN_IN_LIMIT", "1000")
# Join applications from one address in a day.
PORTAL_ADDRESS_JOIN_LIMIT = envint("PORTAL_ADDRESS_JOIN_LIMIT", "300")
# A success does not wipe the count: otherwise one known password would let an address clear its
# own record between guesses at other accounts. Failures age out after the cool-off instead.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "members.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "members.signin.client_ip"
# How many reverse proxies sit in front of gunicorn (their X-Forwarded-For is trusted that deep).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0")
AXES_ENABLED = envbool("AXES_ENABLED", "True")
# Staff sessions end after this long without a request (every request restarts the clock).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", "120") * 60
SESSION_SAVE_EVERY_REQUEST = True
# The database store, its per-request save not waiting on the disk (common/sessions.py says why).
SESSION_ENGINE = "common.sessions"
# /api/schema/ and /api/docs/ describe every route: only signed-in staff may read them in production.
API_DOCS_PUBLIC = envbool("API_DOCS_PUBLIC", "False" if PRODUCTION else "True")
# Two-factor sign-in (TOTP): required for whoever may reveal full ID numbers, offered to all
# staff at /admin/2fa/. Only tests turn it off.
OTP_REQUIRED = envbool("OTP_REQUIRED", "True")
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", "湖州市总工会")
# API tokens (members.tokens): every token expires; staff tokens last a working day.
STAFF_TOKEN_TTL_HOURS = envint("STAFF_TOKEN_TTL_HOURS", "8")
MEMBER_TOKEN_TTL_HOURS = envint("MEMBER_TOKEN_TTL_HOURS", "24")
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
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files, never inline, so an
# injected <script> or onclick= does not run. Inline styles stay allowed: the Django admin and
# Swagger UI use style attributes, and a style cannot read or send data.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.tokens.AccessTokenAuthentication",
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
    "SERVE_PERMISSIONS": ["members.signin.DocsPermission"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a field named status/kind/level with different choices: name each set
    # by its model and meaning, not by the bare field name (tests/common/test_schema.py).
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
        "LeadershipVisitKindEnum": "welfare.models.LeadershipVisit.Kind",
        "ProposalSourceEnum": "welfare.models.Proposal.Source",
        "NegotiationLevelEnum": "welfare.models.WageNegotiation.Level",
        # 合同范围: one enterprise, or a regional / industry-wide contract covering many.
        "WageContractScopeEnum": "welfare.models.WageContract.Scope",
        "NegotiationStageEnum": "welfare.models.WageNegotiation.Stage",
        "NegotiationTopicEnum": "welfare.models.WageNegotiation.Topic",  # 6+X 协商议题
        "CollectiveContractTypeEnum": "welfare.models.WageNegotiation.ContractType",
        "HonourSelectionStageEnum": "skills.models.HonourSelection.Stage",
        "ProposalRoleEnum": "welfare.models.Proposal.Role",  # 主办 / 会办
        "ProposalResultEnum": "welfare.models.Proposal.Result",  # 办理结果 A/B/C类
        "AttendanceMethodEnum": "activities.models.Attendance.Method",
        "SpeakerKindEnum": "activities.models.Activity.SpeakerKind",
        "ReceiptContentTypeEnum": "welfare.models.ClaimReceipt.Kind",
        "GenderEnum": "members.models.Member.Gender",
        "IndustryEnum": "members.models.Enterprise.Industry",  # GB/T 4754 门类
    },
}

# --- spreadsheets ---------------------------------------------------------------------------
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
# An upload between preview and confirmation is sealed in PostgreSQL, never a file in /tmp.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "common.uploads.EncryptedUploadStorage"
# Exports (common.export_jobs): a drill-down or an admin list's export of up to this many rows is
# written inside the request; more, and every member-register export, run as a Celery job. A job's file (sealed in
# PostgreSQL) can be downloaded for this many hours, then the sweep deletes it.
EXPORT_INLINE_MAX_ROWS = envint("EXPORT_INLINE_MAX_ROWS", "20000")
# An admin list's export (django-import-export, ~2,400 rows/s under load) stays inline only to this.
ADMIN_EXPORT_INLINE_MAX_ROWS = envint("ADMIN_EXPORT_INLINE_MAX_ROWS", "5000")
EXPORT_TTL_HOURS = envint("EXPORT_TTL_HOURS", "24")

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
CELERY_WORKER_CONCURRENCY = envint("CELERY_WORKER_CONCURRENCY", "2")
# A worker process takes one task at a time: a roll-up or an export runs for seconds to minutes and
# must not hold short tasks queued behind it in the same process.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- cache: the dashboard's JSON (dashboard/caching.py), one copy for every worker and host ----
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "hz",
        # A cache that does not answer within a second is skipped (dashboard/caching.py).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# A roll-up whose heartbeat is older than this is taken to be dead, and the next run takes over.
DASHBOARD_ROLLUP_STALE_MINUTES = envint("DASHBOARD_ROLLUP_STALE_MINUTES", "10")

# --- member portal ---------------------------------------------------------------------------
# Dotted path of the SMS backend (README: "SMS"); the default writes to the outbox table and log.
SMS_BACKEND = envstr("SMS_BACKEND", "portal.sms.OutboxBackend")
# The member's device cookie: separate from the staff session, kept for a year (the sign-in it
# carries lasts 30 days and is checked on the server).
PORTAL_DEVICE_COOKIE = "hz_device"
# The portal's public address, for the links in notice SMS (e.g. https://hz.example.cn).
PORTAL_BASE_URL = envstr("PORTAL_BASE_URL", "")


# --- operations: /health/ and structured logs (issue 16) ------------------------------------
# /health/ answers 503 when a check fails: the nightly roll-up (beat) or the newest snapshot older
# than these hours, less free disk than this where receipts are written, or a dependency that does
# not answer within the timeout.
HEALTH_TIMEOUT_SECONDS = float(envstr("HEALTH_TIMEOUT_SECONDS", "2"))
HEALTH_BEAT_MAX_AGE_HOURS = envint("HEALTH_BEAT_MAX_AGE_HOURS", "26")
HEALTH_SNAPSHOT_MAX_AGE_HOURS = envint("HEALTH_SNAPSHOT_MAX_AGE_HOURS", "26")
HEALTH_DISK_MIN_FREE_MB = envint("HEALTH_DISK_MIN_FREE_MB", "1024")

# One JSON line per record on stderr (common.logs): per request, per Celery task, and whatever else
# is logged; every line masked for ID numbers and mobile numbers. LOG_FORMAT=text for a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "common.logs.MaskPersonalData"},
        "request_id": {"()": "common.logs.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "common.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "text" if envstr("LOG_FORMAT", "json") == "text" else "json",
            "filters": ["request_id", "mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's own access line carries the query string; our request line replaces it.
        "django.server": {"level": "WARNING"},
    },
}
# Celery keeps the logging above (JSON, masked) instead of installing its own on the root logger.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
