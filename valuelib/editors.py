"""Who may publish: per-editor passcode hashes, the shared passcode, and throttling of wrong
guesses. Pure (hashlib and the clock); the pages and the command line call in.

- Per-editor passcodes (optional): ``VALUELIB_EDITORS`` (JSON ``{"Dana Reyes": "<hash>"}``
  or ``Dana Reyes=<hash>;Lee Chen=<hash>``), or an ``[editors]`` table in
  ``.streamlit/secrets.toml``. Each hash is ``pbkdf2_sha256$ITERATIONS$SALT$HASH`` as
  ``python -m valuelib hash-passcode`` prints it. When editors are configured, only they can
  publish, and the audit trail names the editor as configured (not as typed).
- Otherwise the single shared passcode (``VALUELIB_EDITOR_PASSWORD`` or ``editor_password``
  in secrets) works as before, and the editor names themselves.
- ``PasscodeThrottle``: after ``FREE_FAILURES`` wrong passcodes from one session or address
  within ``WINDOW_SECONDS``, each further try waits a delay that doubles (capped).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import secrets as _secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .store import PASSCODE_ENV, PASSCODE_SECRET, PasscodeResult, check_passcode

__all__ = [
    "EDITORS_ENV",
    "EDITORS_SECRET",
    "PasscodeThrottle",
    "check_editor",
    "configured_editors",
    "hash_passcode",
    "verify_passcode",
]

EDITORS_ENV = "VALUELIB_EDITORS"
EDITORS_SECRET = "editors"
HASH_SCHEME = "pbkdf2_sha256"
# OWASP's 2023 figure for PBKDF2-HMAC-SHA256: about a third of a second per check here.
DEFAULT_ITERATIONS = 600_000

FREE_FAILURES = 5
WINDOW_SECONDS = 600.0
FIRST_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 300.0


# --------------------------------------------------------------------------------------------
# Hashes


def hash_passcode(passcode: str, *, iterations: int = DEFAULT_ITERATIONS,
                  salt: str | None = None) -> str:
    """``pbkdf2_sha256$ITERATIONS$SALT$HASH`` (salt and hash in hex) for ``passcode``."""
    if not passcode:
        raise ValueError("The passcode is empty.")
    salt = salt or _secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), salt.encode("ascii"),
                                 int(iterations))
    return f"{HASH_SCHEME}${int(iterations)}${salt}${digest.hex()}"


def verify_passcode(passcode: str, encoded: str) -> bool:
    """True when ``passcode`` matches the hash; False for a wrong passcode or a malformed
    hash (never raises on bad input)."""
    try:
        scheme, iterations, salt, expected = str(encoded).strip().split("$")
        if scheme != HASH_SCHEME or not 1 <= int(iterations) <= 10_000_000:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", str(passcode).encode("utf-8"),
                                     salt.encode("ascii"), int(iterations))
    except (ValueError, UnicodeEncodeError):
        return False
    return bool(passcode) and hmac.compare_digest(digest.hex(), expected.lower())


# --------------------------------------------------------------------------------------------
# Configuration


def _parse_editors(raw: str) -> dict[str, str]:
    raw = raw.strip()
    if not raw:
        return {}
    if raw.startswith("{"):
        try:
            parsed = json.loads(raw)
        except ValueError as exc:
            raise ValueError(f"{EDITORS_ENV} is not valid JSON: {exc}") from None
        if not isinstance(parsed, dict):
            raise ValueError(f"{EDITORS_ENV} must be a JSON object of name -> hash.")
        return {str(k).strip(): str(v).strip() for k, v in parsed.items() if str(k).strip()}
    editors = {}
    for part in raw.split(";"):
        if not part.strip():
            continue
        name, sep, hashed = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"{EDITORS_ENV} must look like 'Dana Reyes=pbkdf2_sha256$...;"
                             f"Lee Chen=pbkdf2_sha256$...'; could not read {part.strip()[:40]!r}.")
        editors[name.strip()] = hashed.strip()
    return editors


def configured_editors(secrets: Mapping | None = None,
                       env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Editor name -> passcode hash, from ``VALUELIB_EDITORS`` first, then the ``editors``
    table of ``secrets``; empty when neither is set. Raises ``ValueError`` (a plain message)
    when the setting cannot be read."""
    env = os.environ if env is None else env
    if env.get(EDITORS_ENV):
        return _parse_editors(env[EDITORS_ENV])
    if secrets is None:
        return {}
    try:
        table = secrets.get(EDITORS_SECRET)
    except FileNotFoundError:  # st.secrets without a secrets.toml
        return {}
    if not table:
        return {}
    return {str(k).strip(): str(v).strip() for k, v in dict(table).items() if str(k).strip()}


def check_editor(name: str, passcode: str, *, editors: Mapping[str, str] | None = None,
                 shared: str | None = None) -> PasscodeResult:
    """May this person publish? With per-editor hashes configured, ``name`` must be one of
    the editors (case and spaces ignored) and the passcode theirs; the result's ``editor`` is
    the name as configured. Otherwise the shared passcode decides and ``editor`` is the name
    as typed. A wrong name and a wrong passcode get the same answer."""
    name = " ".join(str(name or "").split())
    if editors:
        folded = {" ".join(k.split()).casefold(): k for k in editors}
        real = folded.get(name.casefold())
        # Hash even for an unknown name, so the answer takes as long either way.
        hashed = editors[real] if real else next(iter(editors.values()))
        ok = verify_passcode(passcode, hashed) and real is not None
        if ok:
            return PasscodeResult(ok=True, message=f"Signed in as {real}.", editor=real)
        return PasscodeResult(ok=False, message="That name and passcode do not match an "
                                                "editor. Ask the person who runs the dashboard.")
    if not name:
        return PasscodeResult(ok=False, message="Say who is publishing: the editor name is "
                                                "empty.", configured=bool(shared))
    result = check_passcode(passcode, shared)
    return PasscodeResult(ok=result.ok, message=result.message, configured=result.configured,
                          editor=name if result.ok else "")


def publishing_configured(secrets: Mapping | None = None,
                          env: Mapping[str, str] | None = None) -> str:
    """How editors sign in here: ``editors`` (per-editor hashes), ``shared`` (one passcode)
    or ``off`` (nobody can publish), with the shared passcode's names in the message."""
    from .store import configured_passcode

    if configured_editors(secrets, env):
        return "editors"
    if configured_passcode(secrets, env):
        return "shared"
    return "off"


OFF_MESSAGE = (f"Publishing is switched off: no editor passcode is set. Set {PASSCODE_ENV} "
               f"(or {PASSCODE_SECRET} in .streamlit/secrets.toml), or per-editor hashes in "
               f"{EDITORS_ENV}, then restart the app.")


# --------------------------------------------------------------------------------------------
# Throttling


@dataclass
class _Failures:
    times: list[float]
    blocked_until: float = 0.0


class PasscodeThrottle:
    """Wrong-passcode throttling, in memory, safe to share between threads (one per app
    process). ``key`` is a session id or a client address. The first ``free`` failures within
    ``window`` seconds cost nothing; each further one blocks the key for a delay that doubles
    (``first_delay``, 2×, 4× … up to ``max_delay``). A success clears the key."""

    def __init__(self, *, free: int = FREE_FAILURES, window: float = WINDOW_SECONDS,
                 first_delay: float = FIRST_DELAY_SECONDS, max_delay: float = MAX_DELAY_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.free, self.window = free, window
        self.first_delay, self.max_delay = first_delay, max_delay
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, _Failures] = {}

    def check(self, key: str) -> float:
        """Seconds this key must wait before its next try (0: it may try now)."""
        now = self._clock()
        with self._lock:
            entry = self._keys.get(key)
            return 0.0 if entry is None else max(0.0, entry.blocked_until - now)

    def record_failure(self, key: str) -> float:
        """Count a wrong passcode; returns the seconds the key must now wait."""
        now = self._clock()
        with self._lock:
            entry = self._keys.setdefault(key, _Failures([]))
            entry.times = [t for t in entry.times if now - t < self.window] + [now]
            beyond = len(entry.times) - self.free
            if beyond > 0:
                delay = min(self.max_delay, self.first_delay * 2 ** (beyond - 1))
                entry.blocked_until = now + delay
            self._forget_old(now)
            return max(0.0, entry.blocked_until - now)

    def record_success(self, key: str) -> None:
        with self._lock:
            self._keys.pop(key, None)

    def failures(self, key: str) -> int:
        """Wrong passcodes from this key within the window."""
        now = self._clock()
        with self._lock:
            entry = self._keys.get(key)
            return 0 if entry is None else sum(1 for t in entry.times if now - t < self.window)

    def _forget_old(self, now: float) -> None:
        # Keeps memory bounded when many addresses try once and go away.
        if len(self._keys) > 10_000:
            for key in [k for k, e in self._keys.items()
                        if e.blocked_until <= now and all(now - t >= self.window
                                                          for t in e.times)]:
                del self._keys[key]

    @staticmethod
    def message(seconds: float) -> str:
        """What to tell someone who must wait."""
        wait = max(1, math.ceil(seconds))
        if wait >= 120:
            shown = f"{math.ceil(wait / 60)} minutes"
        else:
            shown = f"{wait} second" + ("" if wait == 1 else "s")
        return (f"Too many wrong passcodes from here in the last {WINDOW_SECONDS / 60:.0f} "
                f"minutes: wait {shown} before trying again. Each further wrong passcode "
                "doubles the wait.")
