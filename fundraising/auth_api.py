"""The API's sign-in: a token for a username and password, and signing out (this token, or
every token of the user). Tokens are django-rest-knox's (fundraising/tokens.py)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import ErrorOut
from common.clients import ClientRateThrottle
from common.errors import ApplicationError
from fundraising.accounts import lockout_response
from fundraising.tokens import token_issue, token_revoke, tokens_revoke_all

ERROR = OpenApiResponse(ErrorOut, description="`{message, code, fields}`")


class CredentialsIn(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False,
                                     style={"input_type": "password"})  # fmt: skip


class TokenOut(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(help_text="When the token stops working.")


class TokenObtainApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientRateThrottle]
    throttle_scope = "auth-token"

    @extend_schema(
        operation_id="auth_token", request=CredentialsIn, tags=["auth"],
        responses={200: TokenOut, 400: ERROR, 429: ERROR}, auth=[],
        description="A token for a username and password, valid for `API_TOKEN_TTL_HOURS` "
        "(10 hours unless the secretariat says otherwise): send it as "
        "`Authorization: Token <token>`. Wrong passwords for one username from one address "
        "lock that pair out for a while (429, code `locked_out`, with Retry-After), and each "
        "address may ask for a limited number of tokens per hour (429, code `throttled`).",
    )  # fmt: skip
    def post(self, request) -> Response:
        serializer = CredentialsIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        # django-axes watches the plain Django request: its middleware answers a lockout.
        http_request = request._request
        user = authenticate(http_request, **serializer.validated_data)
        if user is None:
            if getattr(http_request, "axes_locked_out", False):
                return lockout_response(http_request)
            raise ApplicationError(
                _("Unable to sign in with this username and password."),
                code="invalid_credentials",
            )
        instance, key = token_issue(user=user, request=http_request)
        return Response(TokenOut({"token": key, "expiry": instance.expiry}).data)


class TokenLogoutApi(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout", request=None, tags=["auth"],
        responses={204: None, 401: ERROR},
        description="Revoke the token this request is signed with.",
    )  # fmt: skip
    def post(self, request) -> Response:
        if not isinstance(request.auth, AuthToken):  # signed in some other way
            raise NotAuthenticated(_("Send the token to revoke in the Authorization header."))
        token_revoke(token=request.auth, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenLogoutAllApi(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout_all", request=None, tags=["auth"],
        responses={204: None, 401: ERROR},
        description="Revoke every token of the signed-in user (a lost laptop, a leaked "
        "script). Changing the password does the same.",
    )  # fmt: skip
    def post(self, request) -> Response:
        tokens_revoke_all(user=request.user, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
