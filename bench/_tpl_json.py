"""JSON record templates: workflow engines, web apps, payments, auth, k8s controllers.

Each template returns a dict; the corpus serialises it as compact single-line JSON.
"""

from __future__ import annotations

import json
from typing import Any

from bench._builder import Builder, Template, logfmt

__all__ = ["JSON_TEMPLATES"]

Obj = dict[str, Any]


def _compact(obj: object) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def airflow(b: Builder) -> Obj:
    """Airflow task log (JSON formatter), with connection URIs or AWS keys leaking."""
    v = b.v
    run_ts = b.l("timestamp", v.iso(style="plus"))
    task = b.pick(["extract_orders", "load_customers", "sync_s3", "notify_finance"])
    d: Obj = {
        "asctime": b.l("timestamp", v.iso()), "levelname": "INFO",
        "filename": "taskinstance.py", "lineno": 1138, "name": "airflow.task",
        "dag_id": "etl_orders_daily", "task_id": task, "run_id": f"scheduled__{run_ts}",
        "try_number": b.r.randint(1, 3),
    }
    if b.clean:
        d["message"] = (f"Marking task as SUCCESS. dag_id=etl_orders_daily, task_id={task}, "
                        f"duration {b.l('duration', v.duration())}")
        return d
    kind = b.r.randint(0, 2)
    if kind == 0:
        pw = b.s("URL_CREDENTIAL", v.password())
        hp = b.l("host_port", v.host_port())
        d["message"] = (f"Using connection ID 'warehouse' for task execution. "
                        f"uri=postgresql://etl:{pw}@{hp}/warehouse")
    elif kind == 1:
        ak = b.s("AWS_ACCESS_KEY", v.aws_access_key())
        sk = b.s("AWS_SECRET_KEY", v.aws_secret_key())
        d["message"] = (f"Credentials retrieved from login: aws_access_key_id={ak}, "
                        f"aws_secret_access_key={sk}")
    else:
        name = v.person()
        em = b.s("EMAIL", v.email(name))
        d["message"] = f"Sending failure alert for {task} to {em}"
    return d


def argo(b: Builder) -> Obj:
    """Argo workflow controller event; secret variant leaks a pod env var list."""
    v = b.v
    d: Obj = {
        "level": "info", "time": b.l("timestamp", v.iso()), "namespace": "argo",
        "workflow": f"nightly-report-{v.s('abcdefghijklmnopqrstuvwxyz0123456789', 5)}",
        "podName": b.l("pod", v.pod("report")),
    }
    if b.clean:
        d["msg"] = "node changed"
        d["phase"] = b.pick(["Running", "Succeeded", "Failed"])
        d["duration"] = b.l("duration", v.duration())
        return d
    d["msg"] = "creating pod"
    env = [{"name": "LOG_LEVEL", "value": "info"},
           {"name": "GIT_SHA", "value": b.l("git_sha", v.hexid(40))}]
    if b.chance(0.5):
        env.append({"name": "DB_PASSWORD", "value": b.s("PASSWORD", v.password())})
    else:
        env.append({"name": "STRIPE_API_KEY", "value": b.s("STRIPE_KEY", v.token("STRIPE_KEY"))})
    d["spec"] = {"containers": [{"name": "main", "image": "registry.example.com/report@"
                                 + b.l("sha256", "sha256:" + v.s("0123456789abcdef", 64)),
                                 "env": env}]}
    return d


def temporal(b: Builder) -> Obj:
    """Temporal activity failure; the error text carries a card number and a customer name."""
    v = b.v
    d: Obj = {
        "level": "WARN", "ts": b.l("timestamp", v.iso()), "msg": "Activity error.",
        "Namespace": "payments", "WorkflowID": f"charge-{b.l('order', v.order_id())}",
        "RunID": b.l("uuid", v.uuid()), "ActivityType": "ChargeCard",
        "Attempt": b.r.randint(1, 5),
    }
    if b.clean:
        d["Error"] = "activity StartToClose timeout"
        d["Duration"] = b.l("duration", v.duration())
        return d
    name = b.s("PERSON", v.person())
    card = b.s("CREDIT_CARD", v.card())
    d["Error"] = f"card_declined: card {card} for customer {name} was declined (insufficient funds)"
    return d


def web_request(b: Builder) -> Obj:
    """Django/Flask JSON request log; the body is a JSON string holding credentials."""
    v = b.v
    path = b.l("path", v.api_path())
    d: Obj = {
        "ts": b.l("timestamp", v.iso()), "logger": "django.request", "method": "POST",
        "path": path, "status": b.pick([200, 201, 401, 422]),
        "duration_ms": b.r.randint(3, 900), "request_id": b.l("uuid", v.uuid()),
    }
    d["remote_addr"] = b.s("IP_ADDRESS", v.ip(), "-")
    if b.clean:
        d["body"] = _compact({"items": [{"sku": "SKU-" + v.digits(6), "qty": 2}],
                              "order_ref": b.l("order", v.order_id())})
        return d
    body = {"email": b.s("EMAIL", v.email()), "password": b.s("PASSWORD", v.password()),
            "remember": True}
    if b.chance(0.3):
        body["phone"] = b.s("PHONE_NUMBER", v.phone())
    d["body"] = _compact(body)
    return d


def spring(b: Builder) -> Obj:
    """Spring Boot logstash JSON with a multi-line stack trace as a \\n-escaped string."""
    v = b.v
    cls = b.l("java_class", v.java_class())
    d: Obj = {
        "@timestamp": b.l("timestamp", v.iso(style="plus")), "@version": "1",
        "logger_name": cls, "thread_name": "http-nio-8080-exec-3", "level": "ERROR",
        "trace_id": b.l("trace_id", v.hexid(32)), "span_id": b.l("span_id", v.hexid(16)),
    }
    if b.clean:
        msg = "java.lang.NullPointerException: Cannot invoke \"Order.getTotal()\""
    elif b.chance(0.5):
        pw = b.s("PASSWORD", v.password())
        msg = ("org.postgresql.util.PSQLException: Connection to "
               f"jdbc:postgresql://db:5432/app?user=app&password={pw} refused")
    else:
        em = b.s("EMAIL", v.email())
        msg = ("org.springframework.dao.DuplicateKeyException: duplicate key value violates "
               f"unique constraint \"users_email_key\" Detail: Key (email)=({em}) already exists.")
    frames = "\n".join(f"\tat {cls}.{m}({cls.rsplit('.', 1)[1]}.java:{b.r.randint(20, 400)})"
                       for m in ("charge", "process", "handle"))
    d["message"] = msg.split(":", 1)[0]
    d["stack_trace"] = f"{msg}\n{frames}\n\t... 42 common frames omitted"
    return d


def payment(b: Builder) -> Obj:
    """Payment service event with nested card and billing objects."""
    v = b.v
    d: Obj = {
        "event": "charge.created", "ts": b.l("epoch_ms", str(v.epoch() * 1000 + 123)),
        "amount": b.r.randint(100, 99999), "currency": "USD",
        "order_id": b.l("order", v.order_id()),
        "idempotency_key": b.l("uuid", v.uuid()),
    }
    if b.clean:
        d["card"] = {"brand": "visa", "last4": v.digits(4), "exp_month": 4}
        d["txn_ref"] = b.l("non_luhn", v.non_luhn16())
        return d
    d["card"] = {"number": b.s("CREDIT_CARD", v.card()), "cvv": b.s("CVV", v.cvv()),
                 "exp": f"0{b.r.randint(1, 9)}/2{b.r.randint(6, 9)}"}
    if b.chance(0.6):
        d["billing"] = {"name": b.s("PERSON", v.person()),
                        "address": b.s("STREET_ADDRESS", v.street())}
    return d


def auth(b: Builder) -> Obj:
    """Auth service login event with tokens in headers or response fields."""
    v = b.v
    d: Obj = {"event": "login.succeeded", "ts": b.l("timestamp", v.iso()),
              "user_id": b.r.randint(1000, 999999), "trace_id": b.l("trace_id", v.hexid(32))}
    if b.clean:
        d["mfa"] = "totp"
        d["client_version"] = b.l("semver", v.semver())
        return d
    kind = b.r.randint(0, 2)
    if kind == 0:
        auth = (f"Bearer {b.s('BEARER_TOKEN', v.opaque_token())}" if b.chance(0.5)
                else f"Basic {b.s('BASIC_AUTH', v.basic_auth())}")
        d["headers"] = {"Authorization": auth, "User-Agent": "okhttp/4.12.0"}
    elif kind == 1:
        d["response"] = {"id_token": b.s("JWT", v.jwt()), "expires_in": 3600}
    else:
        d["user"] = {"email": b.s("EMAIL", v.email()), "ip": b.s("IP_ADDRESS", v.ip())}
    return d


def k8s_controller(b: Builder) -> Obj:
    """A Kubernetes controller reconciling a Secret; the secret variant logs stringData."""
    v = b.v
    d: Obj = {
        "ts": b.l("epoch", f"{v.epoch()}.{v.digits(6)}"), "caller": "controller/reconcile.go:142",
        "msg": "Reconciling", "controller": "externalsecret", "namespace": "prod",
        "reconcileID": b.l("uuid", v.uuid()), "pod": b.l("pod", v.pod()),
    }
    if b.clean:
        d["generation"] = b.r.randint(1, 40)
        d["resourceVersion"] = v.digits(8)
        return d
    pw = b.s("URL_CREDENTIAL", v.password())
    d["stringData"] = {
        "DATABASE_URL": f"postgres://app:{pw}@db-primary.prod.svc:5432/app",
        "SENDGRID_API_KEY": b.s("SENDGRID_KEY", v.token("SENDGRID_KEY")),
    }
    return d


def token_leak(b: Builder) -> Obj:
    """A vendor token leaked in a free-text message with no key hint."""
    v = b.v
    d: Obj = {"level": "warn", "service": b.pick(["ci-runner", "deployer", "notifier"]),
              "time": b.l("timestamp", v.iso()), "version": b.l("semver", v.semver())}
    if b.clean:
        d["msg"] = (f"retrying request to {b.l('path', v.api_path())} after "
                    f"{b.l('duration', v.duration())} (commit {b.l('short_sha', v.hexid(7))})")
        return d
    _, tok = b.tok()
    d["msg"] = b.pick([f"retrying upload with credential {tok} after 401",
                       f"config reload: using {tok} for outbound calls",
                       f"request failed (401) for key {tok}"])
    return d


def config_dump(b: Builder) -> Obj:
    """Effective configuration dump with nested credential fields."""
    v = b.v
    d: Obj = {"msg": "effective configuration", "time": b.l("timestamp", v.iso()),
              "build": b.l("git_sha", v.hexid(40))}
    cfg: Obj = {"db": {"host": "db-primary.prod.svc", "port": 5432, "pool": 20},
                "cache": {"addr": b.l("host_port", v.host_port())}}
    if not b.clean:
        cfg["aws"] = {"access_key_id": b.s("AWS_ACCESS_KEY", v.aws_access_key()),
                      "secret_access_key": b.s("AWS_SECRET_KEY", v.aws_secret_key())}
        cfg["oauth"] = {"client_id": "web-frontend",
                        "client_secret": b.s("GENERIC_SECRET", v.generic_secret())}
        if b.chance(0.5):
            cfg["google"] = {"maps_api_key": b.s("GOOGLE_API_KEY", v.token("GOOGLE_API_KEY"))}
    d["config"] = cfg
    return d


def tls_error(b: Builder) -> Obj:
    """A TLS loader error that dumps a PEM private key as a \\n-escaped string."""
    v = b.v
    pem = b.pem() + "\n"
    return {"level": "error", "ts": b.l("timestamp", v.iso()), "logger": "tls.loader",
            "msg": "failed to parse certificate chain", "addr": b.l("hexaddr", v.hexaddr()),
            "pem_content": pem}


def outbound_url(b: Builder) -> Obj:
    """An outbound HTTP call whose URL carries credentials in the query string."""
    v = b.v
    path = b.l("path", v.api_path())
    q = f"trace={b.l('trace_id', v.hexid(32))}"
    if not b.clean:
        if b.chance(0.5):
            q = f"user=svc&password={b.s('PASSWORD', v.password())}&" + q
        else:
            q = f"api_key={b.s('GENERIC_SECRET', v.generic_secret())}&" + q
    return {"msg": "outbound request", "ts": b.l("timestamp", v.iso()),
            "url": f"https://api.partner.example{path}?{q}", "status": 502,
            "elapsed": b.l("duration", v.duration())}


def export_batch(b: Builder) -> Obj:
    """A CRM export batch with arrays of emails and phone contacts."""
    v = b.v
    d: Obj = {"event": "batch.export", "job": b.l("uuid", v.uuid()),
              "ts": b.l("timestamp", v.iso())}
    if b.clean:
        d["count"] = 0
        d["skipped"] = [b.l("order", v.order_id()) for _ in range(2)]
        return d
    d["recipients"] = [b.s("EMAIL", v.email()) for _ in range(b.r.randint(1, 3))]
    d["contacts"] = [{"type": "mobile", "number": b.s("PHONE_NUMBER", v.phone())}]
    d["count"] = len(d["recipients"])
    return d


def profile_update(b: Builder) -> Obj:
    """A KYC/profile update with personal fields, some in free text."""
    v = b.v
    d: Obj = {"event": "profile.updated", "ts": b.l("timestamp", v.iso()),
              "user_id": b.r.randint(1000, 999999), "request_id": b.l("uuid", v.uuid())}
    if b.clean:
        d["changes"] = {"locale": "en-US", "newsletter": False}
        return d
    changes: Obj = {}
    for field, make in (("date_of_birth", lambda: b.s("DATE_OF_BIRTH", v.dob())),
                        ("ssn", lambda: b.s("US_SSN", v.ssn())),
                        ("phone", lambda: b.s("PHONE_NUMBER", v.phone())),
                        ("iban", lambda: b.s("IBAN", v.iban()))):
        if b.chance(0.5):
            changes[field] = make()
    if not changes:
        changes["date_of_birth"] = b.s("DATE_OF_BIRTH", v.dob())
    d["changes"] = changes
    d["note"] = f"address changed to {b.s('STREET_ADDRESS', v.street())} by support agent"
    return d


def payout(b: Builder) -> Obj:
    """A payout to a bank account, the IBAN sometimes only in free text."""
    v = b.v
    d: Obj = {"event": "payout.initiated", "ts": b.l("timestamp", v.iso()),
              "reference": b.l("order", v.order_id()), "amount": b.r.randint(1000, 500000)}
    if b.clean:
        d["status"] = "pending_review"
        return d
    iban = b.s("IBAN", v.iban())
    if b.chance(0.5):
        d["beneficiary"] = {"iban": iban, "bic": "DEUTDEFFXXX"}
    else:
        d["msg"] = f"SEPA transfer queued to {iban}"
    return d


def sidecar(b: Builder) -> Obj:
    """A log shipper wrapping a logfmt line as a JSON string."""
    v = b.v
    pairs: list[tuple[str, object]] = [
        ("level", "info"), ("msg", "login ok"),
        ("trace_id", b.l("trace_id", v.hexid(32))),
    ]
    if not b.clean:
        pairs += [("user", b.s("EMAIL", v.email())), ("ip", b.s("IP_ADDRESS", v.ip()))]
    return {"source": "fluent-bit", "pod": b.l("pod", v.pod()), "line": logfmt(pairs)}


JSON_TEMPLATES = [
    Template("json", airflow, 1.2), Template("json", argo), Template("json", temporal),
    Template("json", web_request, 1.3), Template("json", spring, 1.2),
    Template("json", payment, 1.2), Template("json", auth, 1.2),
    Template("json", k8s_controller), Template("json", token_leak, 3.0),
    Template("json", config_dump, 0.8), Template("json", tls_error, 0.5, clean_ok=False),
    Template("json", outbound_url), Template("json", export_batch, 0.8),
    Template("json", profile_update), Template("json", payout, 0.8), Template("json", sidecar),
]
