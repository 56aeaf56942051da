"""Operator sign-in for the console: argon2 password hashes, server-side sessions, CSRF, rate limit.

- Passwords are hashed with argon2id (``argon2-cffi``); accounts come from ``warmline operator add``.
- A session is a random token in the ``warmline_session`` cookie (HttpOnly, SameSite=Strict, Secure
  when the console is reached over https); only its SHA-256 is stored, so a database dump holds no
  usable session. Sessions expire after ``WARMLINE_SESSION_HOURS`` and die on logout.
- CSRF: each session has a token, returned by login and ``GET /console/api/me`` and also set in the
  readable ``warmline_csrf`` cookie; every state-changing request must echo it in ``X-CSRF-Token``.
- Login attempts are limited per username+IP (``WARMLINE_LOGIN_MAX_FAILURES`` in
  ``WARMLINE_LOGIN_WINDOW_S``) and per IP; beyond that, HTTP 429 with ``Retry-After``.

Routes use the FastAPI dependencies ``current_operator`` and ``require_role("supervisor")``;
WebSockets use ``websocket_operator(ws)``.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import HTTPException, Request, WebSocket
from sqlalchemy import delete, select

from safety.records.access import ROLES, Operator, audit
from safety.records.models import Operator as OperatorRow
from safety.records.models import OperatorSession, utcnow
from safety.records.service import Records, get_records

SESSION_COOKIE = "warmline_session"
CSRF_COOKIE = "warmline_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.@-]{1,63}$")
MIN_PASSWORD = 10

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("warmline-timing-equaliser")

__all__ = [
    "Operator", "current_operator", "require_role", "websocket_operator", "create_operator", "login", "logout",
    "AuthError", "RateLimited", "records_for",
]


class AuthError(Exception):
    pass


class RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__("too many sign-in attempts")
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_operator(records: Records, username: str, password: str, role: str = "operator") -> Operator:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValueError("username: 2-64 characters, lower-case letters, digits, and . _ @ -")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must be at least {MIN_PASSWORD} characters")
    with records.db.session() as s:
        if s.scalar(select(OperatorRow).where(OperatorRow.username == username)) is not None:
            raise ValueError(f"operator {username!r} already exists")
        row = OperatorRow(username=username, password_hash=hash_password(password), role=role, active=True)
        s.add(row)
        s.flush()
        audit(s, "cli", "operator.add", target=username, detail={"role": role})
        return Operator(id=row.id, username=row.username, role=row.role)


class LoginLimiter:
    """Sliding-window count of failed sign-ins per (username, ip), and per ip (4x the limit)."""

    def __init__(self, max_failures: int, window_s: float) -> None:
        self.max = max_failures
        self.window = window_s
        self._fails: dict[Any, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()

    def _prune(self, key: Any, now: float) -> collections.deque[float]:
        q = self._fails[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def check(self, username: str, ip: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key, limit in (((username, ip), self.max), (("ip", ip), self.max * 4)):
                q = self._prune(key, now)
                if len(q) >= limit:
                    raise RateLimited(max(1.0, q[0] + self.window - now))

    def failed(self, username: str, ip: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._fails[(username, ip)].append(now)
            self._fails[("ip", ip)].append(now)

    def succeeded(self, username: str, ip: str) -> None:
        with self._lock:
            self._fails.pop((username, ip), None)


def login(records: Records, limiter: LoginLimiter, username: str, password: str, ip: str) -> tuple[str, Operator]:
    """Check the password; on success create a session. Returns (session token, operator)."""
    username = (username or "").strip().lower()[:64]
    limiter.check(username, ip)
    with records.db.session() as s:
        row = s.scalar(select(OperatorRow).where(OperatorRow.username == username))
        ok = verify_password(row.password_hash if row else _DUMMY_HASH, password or "") and row is not None
        if not ok or not row.active:
            limiter.failed(username, ip)
            audit(s, username or "?", "login.failed", ip=ip)
            failed = True
        else:
            failed = False
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = hash_password(password)
            token = secrets.token_urlsafe(32)
            csrf = secrets.token_urlsafe(32)
            now = utcnow()
            s.add(OperatorSession(token_hash=_token_hash(token), operator_id=row.id, csrf_token=csrf, created_at=now,
                                  expires_at=now + timedelta(hours=records.settings.session_hours)))
            row.last_login_at = now
            audit(s, username, "login", ip=ip)
            op = Operator(id=row.id, username=row.username, role=row.role, csrf_token=csrf)
    if failed:
        raise AuthError("wrong username or password")
    limiter.succeeded(username, ip)
    return token, op


def session_operator(records: Records, token: str | None) -> Operator | None:
    if not token:
        return None
    with records.db.session() as s:
        sess = s.get(OperatorSession, _token_hash(token))
        if sess is None:
            return None
        if sess.expires_at <= utcnow():
            s.delete(sess)
            return None
        row = s.get(OperatorRow, sess.operator_id)
        if row is None or not row.active:
            return None
        return Operator(id=row.id, username=row.username, role=row.role, csrf_token=sess.csrf_token)


def logout(records: Records, token: str | None, username: str | None = None, ip: str | None = None) -> None:
    if not token:
        return
    with records.db.session() as s:
        s.execute(delete(OperatorSession).where(OperatorSession.token_hash == _token_hash(token)))
        if username:
            audit(s, username, "logout", ip=ip)


# -- FastAPI glue ------------------------------------------------------------------------------

def records_for(conn: Request | WebSocket) -> Records:
    """The server's Records service (``app.state.safety.services["records"]``), or one built from settings."""
    rt = getattr(conn.app.state, "safety", None)
    if rt is not None:
        rec = rt.services.get("records")
        if rec is not None:
            return rec
        return get_records(rt.settings)
    return get_records()


def limiter_for(request: Request) -> LoginLimiter:
    lim = getattr(request.app.state, "warmline_login_limiter", None)
    if lim is None:
        st = records_for(request).settings
        lim = LoginLimiter(st.login_max_failures, st.login_window_s)
        request.app.state.warmline_login_limiter = lim
    return lim


def client_ip(conn: Request | WebSocket) -> str:
    return conn.client.host if conn.client else "?"


def is_https(conn: Request | WebSocket) -> bool:
    if conn.url.scheme in ("https", "wss"):
        return True
    rt = getattr(conn.app.state, "safety", None)
    public = rt.settings.public_url if rt is not None else ""
    return public.startswith("https://")


def current_operator(request: Request) -> Operator:
    """Dependency: the signed-in operator (401 otherwise). For state-changing methods it also
    checks the CSRF token (403 when missing or wrong)."""
    cached = getattr(request.state, "warmline_operator", None)
    if cached is not None:
        return cached
    op = session_operator(records_for(request), request.cookies.get(SESSION_COOKIE))
    if op is None:
        raise HTTPException(status_code=401, detail="sign in first")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(sent, op.csrf_token):
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    request.state.warmline_operator = op
    return op


def require_role(*roles: str) -> Callable[[Request], Operator]:
    """Dependency factory: ``Depends(require_role("supervisor"))``."""
    for r in roles:
        if r not in ROLES:
            raise ValueError(r)

    def dependency(request: Request) -> Operator:
        op = current_operator(request)
        if op.role not in roles:
            raise HTTPException(status_code=403, detail=f"needs role {' or '.join(roles)}")
        return op

    return dependency


def websocket_operator(ws: WebSocket) -> Operator | None:
    """For ``WS /console/events``: the signed-in operator, or None. Rejects cross-site sockets
    (an Origin header that does not match the Host), since cookies ride along with them."""
    origin = ws.headers.get("origin")
    if origin:
        host = ws.headers.get("host", "")
        if origin.split("://", 1)[-1].rstrip("/") != host:
            return None
    return session_operator(records_for(ws), ws.cookies.get(SESSION_COOKIE))


def set_session_cookies(response: Any, request: Request, token: str, csrf: str, max_age_s: int) -> None:
    secure = is_https(request)
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age_s, httponly=True, secure=secure,
                        samesite="strict", path="/")
    response.set_cookie(CSRF_COOKIE, csrf, max_age=max_age_s, httponly=False, secure=secure,
                        samesite="strict", path="/")


def clear_session_cookies(response: Any, request: Request) -> None:
    secure = is_https(request)
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=secure, httponly=name == SESSION_COOKIE, samesite="strict")
