"""One real browser against the real service: headless Chromium (Debian's `chromium` package)
driven by Playwright, talking to gunicorn started with the production config file.

(a) An administrator logs into /admin/, creates a customer through the add form and sees it in
    the list.
(b) A page served from a second origin (another port of 127.0.0.1: another origin, same site)
    logs in with fetch(..., {credentials: "include"}) and the CSRF header, then lists and
    creates customers: the CORS, cookie and CSRF settings a real frontend needs.

Skipped, with the reason, only where /usr/bin/chromium is missing, and never in CI.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright import sync_api

from clientes.models import Cliente
from tenants.models import User
from tests.browser.harness import BROWSER_MARKS, chromium_page, serving
from tests.factories import PASSWORD, make_cliente, make_tenant, make_user

pytestmark = BROWSER_MARKS

# -- a frontend on another origin; the service under gunicorn -------------------------------


class Frontend:
    """A tiny static site on its own origin; its page calls the API with fetch()."""

    PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Frontend</title></head>
<body><h1>Frontend de prueba</h1>
<script>
const API = %(api)s;

async function call(method, path, {token, body} = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers["X-CSRFToken"] = token;
  try {
    const response = await fetch(API + path, {
      method, headers, credentials: "include",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
    return {status: response.status, json};
  } catch (error) {
    return {status: 0, error: String(error)};  // blocked by CORS or the network
  }
}

async function csrfToken() {
  const answer = await call("GET", "/api/auth/csrf");
  return answer.json && answer.json.csrfToken;
}

window.frontend = async function (email, password, nombre) {
  const out = {};
  const before = await csrfToken();
  out.csrfBefore = Boolean(before);
  out.login = await call("POST", "/api/auth/login", {token: before, body: {email, password}});
  // Django rotates the CSRF secret at login: the old token no longer works.
  const after = await csrfToken();
  out.csrfAfter = Boolean(after);
  out.me = await call("GET", "/api/auth/me");
  out.list = await call("GET", "/api/clientes");
  out.createWithStaleToken = await call("POST", "/api/clientes", {token: before, body: {nombre}});
  out.createWithoutToken = await call("POST", "/api/clientes", {body: {nombre}});
  out.create = await call("POST", "/api/clientes", {token: after, body: {nombre}});
  out.listAfter = await call("GET", "/api/clientes");
  out.logout = await call("POST", "/api/auth/logout", {token: after});
  out.listLoggedOut = await call("GET", "/api/clientes");
  return out;
};
</script></body></html>
"""

    def __init__(self):
        self.api = ""
        frontend = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path not in {"/", "/index.html"}:
                    self.send_error(404)
                    return
                body = (Frontend.PAGE % {"api": json.dumps(frontend.api)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def frontend():
    with Frontend() as site:
        yield site


@pytest.fixture
def service(transactional_db, frontend, tmp_path):
    """The real service on a free port, on the test database (committed data is shared).

    Torn down before ``transactional_db`` flushes the tables, so no worker holds a connection.
    """
    origins = {
        "CORS_ALLOWED_ORIGINS": frontend.origin,
        "DJANGO_CSRF_TRUSTED_ORIGINS": frontend.origin,
    }
    with serving(tmp_path, workers=2, **origins) as server:
        frontend.api = server.url
        yield server


# -- the test -------------------------------------------------------------------------------


def test_admin_and_cross_origin_frontend_in_a_real_browser(service, frontend):
    tienda = make_tenant(nombre="Tienda Navegador")
    otra = make_tenant(nombre="Otra Tienda")
    root = User.objects.create_superuser("root@example.test", PASSWORD, nombre="Plataforma")
    member = make_user(tienda, email="ana@tienda.test")
    propios = {make_cliente(tienda, nombre=f"Propio {i}").pk for i in range(3)}
    ajeno = make_cliente(otra, nombre="Ajeno").pk

    try:
        with chromium_page() as page:
            # (a) the admin: log in, add a customer through the form, see it in the list.
            page.goto(f"{service.url}/admin/login/?next=/admin/")
            page.fill("#id_username", root.email)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(f"{service.url}/admin/")

            page.goto(f"{service.url}/admin/clientes/cliente/add/")
            page.select_option("#id_tenant", str(tienda.pk))
            page.fill("#id_nombre", "Cliente del Navegador")
            page.fill("#id_documento", "900.123.456-7")
            page.fill("#id_email", "navegador@example.test")
            page.click("input[name=_save]")
            page.wait_for_url(f"{service.url}/admin/clientes/cliente/")
            rows = page.locator("#result_list")
            sync_api.expect(rows).to_contain_text("Cliente del Navegador")
            sync_api.expect(rows).to_contain_text("900.123.456-7")
            admin_problems = list(page.problems)

            # (b) a frontend on another origin: CSRF, session cookie and CORS with credentials.
            page.problems.clear()
            page.goto(frontend.origin + "/")
            out = page.evaluate(
                "([email, password, nombre]) => window.frontend(email, password, nombre)",
                [member.email, PASSWORD, "Creado desde el frontend"],
            )
            frontend_problems = list(page.problems)
    except Exception as exc:
        raise AssertionError(f"{exc}\n--- gunicorn log ---\n{service.log()}") from exc

    # (a)
    favicon = [p for p in admin_problems if p.endswith("/favicon.ico")]
    assert [p for p in admin_problems if p not in favicon] == []  # pages and static files load
    created = Cliente.objects.unscoped().get(nombre="Cliente del Navegador")
    assert created.tenant_id == tienda.pk
    assert (created.documento, created.email) == ("900.123.456-7", "navegador@example.test")

    # (b)
    context = f"page answers: {json.dumps(out, ensure_ascii=False)[:3000]}"
    assert out["csrfBefore"], context
    assert out["login"]["status"] == 200, context
    assert out["login"]["json"]["email"] == member.email, context
    assert out["csrfAfter"], context
    assert out["me"]["status"] == 200, context
    assert out["me"]["json"]["empresa"]["id"] == tienda.pk, context

    assert out["list"]["status"] == 200, context
    listed = {row["id"] for row in out["list"]["json"]}
    assert listed == propios | {created.pk}, context
    assert ajeno not in listed, context

    assert out["createWithStaleToken"]["status"] == 403, context  # rotated at login
    assert out["createWithoutToken"]["status"] == 403, context
    assert "error" in out["createWithoutToken"]["json"], context
    assert out["create"]["status"] == 201, context
    nuevo = out["create"]["json"]
    assert nuevo["nombre"] == "Creado desde el frontend", context
    assert nuevo["id"] in {row["id"] for row in out["listAfter"]["json"]}, context
    assert Cliente.objects.for_tenant(tienda).filter(nombre=nuevo["nombre"]).count() == 1
    assert Cliente.objects.for_tenant(tienda).get(pk=nuevo["id"])

    assert out["logout"]["status"] == 204, context
    assert out["listLoggedOut"]["status"] == 401, context

    # Only the deliberate 401/403 answers failed; nothing was blocked by CORS.
    blocked = [p for p in frontend_problems if not p.startswith(("401 ", "403 "))]
    assert not blocked, blocked
