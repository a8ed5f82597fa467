from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.uploads import media_urlpatterns
from fundraising import accounts, auth_api
from fundraising.health import healthz

api_v1 = [
    path("auth/token/", auth_api.TokenObtainApi.as_view(), name="api-token"),
    path("auth/logout/", auth_api.TokenLogoutApi.as_view(), name="api-token-logout"),
    path("auth/logout-all/", auth_api.TokenLogoutAllApi.as_view(), name="api-token-logout-all"),
    path("", include("campaigns.urls_api")),
    path("", include("donors.urls_api")),
    path("ledger/", include("ledger.urls_api")),
    path("ledger/", include("reconciliation.urls_api")),
    path("", include("treasury.urls_api")),
]

# Admin pages of models that moved to their own apps: old bookmarks land on the new page.
MOVED_ADMIN_PAGES = {
    "ledger/feeshare": "treasury/feeshare",
    "ledger/disbursement": "treasury/disbursement",
    "donors/referencerate": "treasury/referencerate",
    "ledger/importjob": "reconciliation/importjob",
    "ledger/bankstatementline": "reconciliation/bankstatementline",
    "ledger/stripebalancetransaction": "reconciliation/providertransaction",
    "ledger/stripepayout": "reconciliation/providerpayout",
    "ledger/reconciliationaudit": "reconciliation/reconciliationaudit",
}
moved_admin = [
    path(f"admin/{old}/<path:rest>", RedirectView.as_view(url=f"/admin/{new}/%(rest)s"))
    for old, new in MOVED_ADMIN_PAGES.items()
] + [
    path(f"admin/{old}/", RedirectView.as_view(url=f"/admin/{new}/"))
    for old, new in MOVED_ADMIN_PAGES.items()
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    *moved_admin,
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script served apart (?script=) and no inline style: the
    # page runs under the site's Content-Security-Policy unchanged.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("webhooks/", include("webhooks.urls")),
    path("", include("donors.urls")),
    path("", include("campaigns.urls")),
]

handler404 = "common.errors.page_not_found"
handler500 = "common.errors.server_error"

if settings.SERVE_MEDIA:  # with the headers production's web server must also send
    urlpatterns += media_urlpatterns()
