"""API sign-in: tokens for a username, password and (for two-step users) a code; the user's
own tokens listed and revoked; logout from one device or all."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from knox.views import LoginView as KnoxLoginView
from rest_framework import generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import mfa, tokens
from .models import User
from .security import lockout_message
from .tokens import TokenAuthentication

LOCKED = inline_serializer("LockedOut", {"detail": serializers.CharField()})


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="The 6-digit code of the authenticator app, or one recovery code. Required "
        "of coordinators, facilitators and administrators where two-step verification is "
        "required, and of anyone who has set it up.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField()


class TokenLoginView(KnoxLoginView):
    """Exchange a username and password (and, for two-step users, a current code) for an API
    token (`Authorization: Token ...`), valid for REST_KNOX["TOKEN_TTL"]. A browser session
    that has passed two-step verification may ask without a body. Failed attempts count
    towards the lockout of the account and the address (429)."""

    # Credentials in the body ignore any session, as API clients expect (no CSRF); only a
    # request without them is answered from the browser's session, with its CSRF check.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Without authenticators DRF sets the page request's user to anonymous: keep it first.
        self.session_user = getattr(request._request, "user", AnonymousUser())
        super().initial(request, *args, **kwargs)

    @extend_schema(
        request=TokenLoginSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username, password or code."),
            403: OpenApiResponse(description="Two-step verification must be set up first."),
            429: OpenApiResponse(LOCKED, description="Too many failed sign-ins."),
        },
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        http = request._request
        if "username" not in request.data and self.session_user.is_authenticated:
            SessionAuthentication().enforce_csrf(request)
            if http.session.get(mfa.SESSION_STATE_KEY, mfa.OK) != mfa.OK:
                return Response({"detail": _("Finish the code step first.")}, status=403)
            return self._issue(request, self.session_user, session=http.session)  # type: ignore[arg-type]
        serializer = TokenLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(http, username=data["username"], password=data["password"])
        if getattr(http, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=429)
        if user is None:
            message = _("Unable to log in with the username and password given.")
            return Response({"non_field_errors": [message]}, status=400)
        assert isinstance(user, User)
        state = mfa.two_step_state(user)
        if state == mfa.ENROL:
            message = _("Set up two-step verification on the settings page first.")
            return Response({"detail": message}, status=403)
        if state == mfa.VERIFY:
            refused = self._check_code(http, user, data.get("otp", ""))
            if refused is not None:
                return refused
        return self._issue(request, user)

    @staticmethod
    def _check_code(http: HttpRequest, user: User, code: str) -> Response | None:
        credentials = {"username": user.get_username()}
        if not code:
            return Response({"otp": [_("Enter the code from your authenticator app.")]}, 400)
        if AxesProxyHandler.is_locked(http, credentials):
            return Response({"detail": lockout_message()}, status=429)
        if mfa.verify_code(user=user, code=code) is None:
            # A wrong code counts as a failed sign-in, like a wrong password.
            user_login_failed.send(sender=__name__, credentials=credentials, request=http)
            if getattr(http, "axes_locked_out", False):
                return Response({"detail": lockout_message()}, status=429)
            return Response({"otp": [_("This code is not valid.")]}, status=400)
        return None

    def _issue(self, request: Request, user: User, session: Any = None) -> Response:
        """A new token; one asked for by a browser session is revoked when it logs out."""
        instance, token = tokens.token_create(user=user)
        if session is not None:
            tokens.token_remember_in_session(session, instance)
        # The DRF request, not the page's: a token sign-in must not mark a browser session.
        user_logged_in.send(sender=User, request=request, user=user)
        return Response({"token": token, "expiry": instance.expiry}, status=200)


class TokenInfoSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry", "current"]

    def get_current(self, obj: AuthToken) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.digest == obj.digest


class TokenListView(generics.ListAPIView):
    """The signed-in user's API tokens still in force (one per device), newest first."""

    serializer_class = TokenInfoSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's visit
            return AuthToken.objects.none()
        return tokens.tokens_of(self.request.user)  # type: ignore[arg-type]


class TokenDetailView(generics.DestroyAPIView):
    """Revoke one of the signed-in user's own tokens (404 for anyone else's)."""

    serializer_class = TokenInfoSerializer
    permission_classes = [IsAuthenticated]
    lookup_field = "token_key"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuthToken.objects.none()
        return AuthToken.objects.filter(user=self.request.user)

    def get_object(self) -> AuthToken:
        token = self.get_queryset().filter(token_key=self.kwargs["token_key"]).first()
        if token is None:
            raise Http404
        return token


class LogoutView(APIView):
    """Revoke the token this request is signed with."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        request.auth.delete()
        user_logged_out.send(sender=User, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every token of the signed-in user (all devices)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        tokens.tokens_revoke_all(user=request.user)  # type: ignore[arg-type]
        user_logged_out.send(sender=User, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
