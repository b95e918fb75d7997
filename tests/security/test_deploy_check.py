"""The production configuration, as deployed (CFG-01, CFG-02, CFG-07, SEC-AUTH-02 cookie flags).

`manage.py check --deploy` and a real gunicorn run with portal/settings/production.py and the
environment it requires (fresh secrets, a throw-away SQLite database), in their own processes:
Django's test client would hide what gunicorn and the production settings add or leave out.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(Path(sys.executable))
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
MOBILE, PASSWORD = "13800138000", "copper-kettle-2026"


def production_env(workdir: Path) -> dict[str, str]:
    """The variables portal/settings/production.py requires, with fresh values."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=Fernet.generate_key().decode() * 2,
        SIGNING_KEY_PASSPHRASE=Fernet.generate_key().decode(),
        PERSONAL_DATA_KEYS=Fernet.generate_key().decode(),
        PERSONAL_DATA_INDEX_KEY=Fernet.generate_key().decode(),
        AUDIT_ANCHOR_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        REDIS_URL="",
        MEDIA_ROOT=str(workdir / "media"),
        LOG_FORMAT="json",
    )
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_deployment_check_finds_no_issue_with_the_production_settings(
    tmp_path: Path,
) -> None:
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_hashes_passwords_with_pbkdf2_and_never_md5(tmp_path: Path) -> None:
    script = "from django.conf import settings;print(json.dumps(settings.PASSWORD_HASHERS))"
    result = manage(production_env(tmp_path), "shell", "-c", f"import json;{script}")

    hashers = json.loads(result.stdout.strip().splitlines()[-1])
    assert hashers[0] in {
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    }
    assert not any("MD5" in hasher for hasher in hashers)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn with portal/gunicorn_config.py and the production settings, with one citizen."""
    workdir = tmp_path_factory.mktemp("production")
    env = production_env(workdir)
    migrated = manage(env, "migrate", "--no-input", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    created = manage(
        env,
        "shell",
        "-c",
        "from accounts.services import citizen_create; citizen_create(password="
        f"'{PASSWORD}', real_name='张三', id_number='11010519491231002X', mobile='{MOBILE}')",
    )
    assert created.returncode == 0, created.stderr
    port = _free_port()
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1")
    log = (workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603  (our own virtualenv's gunicorn)
        [GUNICORN, "-c", "portal/gunicorn_config.py", "portal.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base_url}/healthz", allow_redirects=False, timeout=2)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((workdir / "gunicorn.log").read_text()) from None
                time.sleep(0.3)
        yield base_url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        log.close()


# What the load balancer in front of nginx sets: the request came over https.
HTTPS = {"X-Forwarded-Proto": "https"}


def test_gunicorn_sends_every_security_header_and_no_version(gunicorn: str) -> None:
    response = requests.get(f"{gunicorn}/accounts/sign-in/", headers=HTTPS, timeout=10)

    headers = response.headers
    assert response.status_code == 200
    hsts = dict(
        ([*part.strip().split("="), ""])[:2]
        for part in headers["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= 31536000
    assert "includeSubDomains" in hsts
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert not any(ch.isdigit() for ch in headers.get("Server", ""))
    assert "X-Powered-By" not in headers


def test_plain_http_is_sent_to_https(gunicorn: str) -> None:
    response = requests.get(f"{gunicorn}/accounts/sign-in/", allow_redirects=False, timeout=10)

    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://")


def _cookie_flags(response: requests.Response, name: str) -> dict[str, str | bool]:
    for header in response.raw.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        if name in cookie:
            morsel = cookie[name]
            return {
                key: morsel[key] for key in ("secure", "httponly", "samesite", "path", "domain")
            }
    raise AssertionError(f"no {name} cookie set")


def test_signing_in_sets_host_only_secure_cookies(gunicorn: str) -> None:
    page = requests.get(f"{gunicorn}/accounts/sign-in/", headers=HTTPS, timeout=10)
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    # Sent by hand: a client honours Secure and would not send the cookie over this plain socket.
    signed_in = requests.post(
        f"{gunicorn}/accounts/sign-in/",
        data={"csrfmiddlewaretoken": token, "account": MOBILE, "password": PASSWORD},
        cookies={"__Host-csrftoken": str(page.cookies["__Host-csrftoken"])},
        headers={**HTTPS, "Origin": gunicorn.replace("http://", "https://")},
        allow_redirects=False,
        timeout=30,
    )

    assert signed_in.status_code == 302
    expected: dict[str, str | bool] = {
        "secure": True, "samesite": "Lax", "path": "/", "domain": "",
    }  # fmt: skip
    assert _cookie_flags(signed_in, "__Host-sessionid") == {**expected, "httponly": True}
    assert _cookie_flags(page, "__Host-csrftoken") == {**expected, "httponly": True}
    assert "no-store" in signed_in.headers["Cache-Control"]
