"""logfmt and plain-text record templates (nginx, SQL errors, dict reprs, klog, ...)."""

from __future__ import annotations

import datetime as dt

from bench._builder import Builder, Template, logfmt

__all__ = ["LOGFMT_TEMPLATES", "TEXT_TEMPLATES"]


# -- logfmt ------------------------------------------------------------------------------
def lf_request(b: Builder) -> str:
    """Go service request log."""
    v = b.v
    pairs: list[tuple[str, object]] = [
        ("time", b.l("timestamp", v.iso(style="plus"))), ("level", "info"),
        ("msg", "request completed"), ("method", b.pick(["GET", "POST", "PUT"])),
        ("path", b.l("path", v.api_path())), ("status", b.pick([200, 201, 204, 404])),
        ("duration", b.l("duration", v.duration())), ("request_id", b.l("uuid", v.uuid())),
    ]
    if not b.clean:
        pairs.append(("remote_ip", b.s("IP_ADDRESS", v.ip())))
    return logfmt(pairs)


def lf_login(b: Builder) -> str:
    """Auth service failed-login line."""
    v = b.v
    pairs: list[tuple[str, object]] = [("level", "warn"), ("msg", "login failed"),
                                       ("trace_id", b.l("trace_id", v.hexid(32)))]
    if b.clean:
        pairs += [("user_id", b.r.randint(1000, 99999)), ("reason", "mfa_timeout")]
    else:
        pairs += [("email", b.s("EMAIL", v.email())), ("ip", b.s("IP_ADDRESS", v.ip()))]
        if b.chance(0.4):
            pairs.append(("password", b.s("PASSWORD", v.password())))
    pairs.append(("attempts", b.r.randint(1, 5)))
    return logfmt(pairs)


def lf_config(b: Builder) -> str:
    """Service startup config dump with DSNs and keys."""
    v = b.v
    pairs: list[tuple[str, object]] = [("level", "debug"), ("msg", "loaded config"),
                                       ("version", b.l("semver", v.semver()))]
    if b.clean:
        pairs += [("cache", b.l("host_port", v.host_port())), ("workers", 8)]
        return logfmt(pairs)
    scheme = b.pick(["postgres://app:{}@db:5432/app", "redis://:{}@redis-cache.internal:6379/0",
                     "amqp://svc:{}@rabbitmq:5672/%2f", "mysql://root:{}@10.0.3.7:3306/shop"])
    pairs.append(("db_url", scheme.format(b.s("URL_CREDENTIAL", v.password()))))
    if b.chance(0.5):
        pairs.append(("api_key", b.s("GENERIC_SECRET", v.generic_secret())))
    if b.chance(0.4):
        pairs.append(("aws_secret_access_key", b.s("AWS_SECRET_KEY", v.aws_secret_key())))
    return logfmt(pairs)


def lf_workflow(b: Builder) -> str:
    """Temporal/Argo worker progress line."""
    v = b.v
    pairs: list[tuple[str, object]] = [
        ("ts", b.l("epoch", str(v.epoch()))), ("level", "info"),
        ("msg", b.pick(["workflow started", "activity completed", "retrying activity"])),
        ("workflow_id", f"order-{b.l('order', v.order_id())}"),
        ("run_id", b.l("uuid", v.uuid())), ("pod", b.l("pod", v.pod("worker"))),
    ]
    if not b.clean:
        pairs.append(("customer", b.s("PERSON", v.person())))
    return logfmt(pairs)


def lf_payment(b: Builder) -> str:
    """Payment failure with card data."""
    v = b.v
    pairs: list[tuple[str, object]] = [("level", "error"), ("msg", "charge failed"),
                                       ("order_id", b.l("order", v.order_id()))]
    if b.clean:
        pairs += [("txn_ref", b.l("non_luhn", v.non_luhn16())), ("code", "do_not_honor")]
    else:
        pairs += [("card", b.s("CREDIT_CARD", v.card())), ("cvc", b.s("CVV", v.cvv()))]
        if b.chance(0.5):
            pairs.append(("customer", b.s("PERSON", v.person())))
    return logfmt(pairs)


def lf_token(b: Builder) -> str:
    """Webhook or deploy line with a vendor token."""
    v = b.v
    pairs: list[tuple[str, object]] = [("level", "info"), ("msg", "webhook delivered"),
                                       ("sha", b.l("git_sha", v.hexid(40)))]
    if not b.clean:
        _, tok = b.tok()
        pairs.append((b.pick(["token", "auth", "credential"]), tok))
    pairs.append(("elapsed", b.l("duration", v.duration())))
    return logfmt(pairs)


def lf_router(b: Builder) -> str:
    """Heroku router line."""
    v = b.v
    fwd = b.s("IP_ADDRESS", v.ipv4(), "unknown")
    return logfmt([
        ("at", "info"), ("method", "GET"), ("path", b.l("path", v.api_path())),
        ("host", "shop.example.com"), ("request_id", b.l("uuid", v.uuid())), ("fwd", fwd),
        ("dyno", "web.1"), ("connect", "1ms"), ("service", b.l("duration", v.duration())),
        ("status", 200), ("bytes", b.r.randint(200, 90000)),
    ])


def lf_kyc(b: Builder) -> str:
    """KYC check with SSN and date of birth."""
    v = b.v
    pairs: list[tuple[str, object]] = [("level", "info"), ("msg", "kyc check"),
                                       ("case", b.l("uuid", v.uuid()))]
    if not b.clean:
        pairs += [("ssn", b.s("US_SSN", v.ssn())), ("dob", b.s("DATE_OF_BIRTH", v.dob()))]
    pairs.append(("result", b.pick(["pass", "review"])))
    return logfmt(pairs)


def lf_pem(b: Builder) -> str:
    """A quoted logfmt value holding a \\n-escaped PEM key."""
    v = b.v
    pem = b.pem()
    return logfmt([("level", "debug"), ("msg", "loaded signing key"),
                   ("kid", b.l("span_id", v.hexid(16))), ("pem", pem)])


LOGFMT_TEMPLATES = [
    Template("logfmt", lf_request, 1.5), Template("logfmt", lf_login, 1.2),
    Template("logfmt", lf_config), Template("logfmt", lf_workflow),
    Template("logfmt", lf_payment), Template("logfmt", lf_token, 2.0),
    Template("logfmt", lf_router, 0.8, clean_ok=True), Template("logfmt", lf_kyc, 0.8),
    Template("logfmt", lf_pem, 0.4, clean_ok=False),
]


# -- plain text --------------------------------------------------------------------------
def _clf_time(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")


def nginx(b: Builder) -> str:
    """nginx combined access log; the client IP is always personal data."""
    v = b.v
    ip = b.s("IP_ADDRESS", v.ip())
    path = b.l("path", v.api_path())
    if b.chance(0.25):
        path += "?email=" + b.s("EMAIL", v.email().replace("@", "%40"))
    elif b.chance(0.2):
        path += "?token=" + b.s("GENERIC_SECRET", v.generic_secret())
    status = b.pick(["200", "404", "502"])
    b.l("status", f'HTTP/1.1" {status}')
    return (f'{ip} - - [{_clf_time(v.epoch())}] "GET {path} HTTP/1.1" {status} '
            f'{b.r.randint(100, 9999)} "-" "Mozilla/5.0 (X11; Linux x86_64)" '
            f"rt={b.r.randint(0, 3)}.{v.digits(3)}")


def sql_error(b: Builder) -> str:
    """PostgreSQL unique-violation error with its DETAIL line."""
    v = b.v
    ts = b.l("timestamp", v.iso(style="space"))
    col, val = b.pick([("email", lambda: b.s("EMAIL", v.email())),
                       ("phone", lambda: b.s("PHONE_NUMBER", v.phone())),
                       ("ssn", lambda: b.s("US_SSN", v.ssn()))])
    if b.clean:
        col, value = "order_ref", b.l("order", v.order_id())
    else:
        value = val()
    return (f'{ts} UTC [{b.r.randint(100, 99999)}] ERROR:  duplicate key value violates unique '
            f'constraint "customers_{col}_key" DETAIL:  Key ({col})=({value}) already exists.')


def dict_repr(b: Builder) -> str:
    """A Python dict repr logged by a Flask view."""
    v = b.v
    payload: dict[str, object] = {"user": b.pick(["bob", "svc-etl", "alice"]),
                                  "request_id": b.l("uuid", v.uuid())}
    if not b.clean:
        key = b.pick(["password", "passwd", "pwd", "secret"])
        payload[key] = b.s("PASSWORD", v.password())
        if b.chance(0.3):
            payload["card"] = b.s("CREDIT_CARD", v.card())
        if b.chance(0.2):
            payload["private_key"] = b.pem()
    return f"{b.l('timestamp', v.iso(style='space'))} INFO app.views: login payload={payload!r}"


def spring_text(b: Builder) -> str:
    """Spring Boot console line with a free-text customer name and card."""
    v = b.v
    ts = b.l("timestamp", v.iso(style="space"))
    if b.clean:
        msg = f"Order {b.l('order', v.order_id())} shipped in {b.l('duration', v.duration())}"
    else:
        name = b.s("PERSON", v.person())
        msg = b.pick([
            lambda: f"customer {name} requested refund for order {v.order_id()}",
            lambda: f"ticket escalated and assigned to {name}",
            lambda: f"charging card {b.s('CREDIT_CARD', v.card())} for {name}",
        ])()
    return f"{ts}  INFO 1 --- [nio-8080-exec-{b.r.randint(1, 9)}] c.a.p.web.OrderController : {msg}"


def http_debug(b: Builder) -> str:
    """Python http.client debug line with escaped CRLF and an Authorization header."""
    v = b.v
    path = b.l("path", v.api_path())
    if b.clean:
        auth = "Accept: application/json"
    elif b.chance(0.5):
        auth = "Authorization: Bearer " + b.s("BEARER_TOKEN", v.opaque_token())
    elif b.chance(0.5):
        auth = "Authorization: Basic " + b.s("BASIC_AUTH", v.basic_auth())
    else:
        auth = "Authorization: Bearer " + b.s("JWT", v.jwt())
    return (f"DEBUG http.client send: b'GET {path} HTTP/1.1\\r\\nHost: api.example.com\\r\\n"
            f"{auth}\\r\\nX-Request-Id: {b.l('uuid', v.uuid())}\\r\\n\\r\\n'")


def airflow_text(b: Builder) -> str:
    """Airflow task log line."""
    v = b.v
    t = dt.datetime.fromtimestamp(v.epoch(), tz=dt.UTC).strftime("%Y-%m-%d, %H:%M:%S UTC")
    if b.clean:
        return (f"[{t}] {{taskinstance.py:1138}} INFO - Executing <Task(PythonOperator): "
                f"load_customers> on {b.l('timestamp', v.iso(style='plus'))}")
    ak, sk = v.aws_access_key(), v.aws_secret_key()
    return (f"[{t}] {{base_aws.py:161}} INFO - Credentials retrieved from extra: "
            f"aws_access_key_id={b.s('AWS_ACCESS_KEY', ak)} "
            f"aws_secret_access_key={b.s('AWS_SECRET_KEY', sk)}")


def git_remote(b: Builder) -> str:
    """A CI runner failing to clone a repo through a credentialed remote."""
    v = b.v
    if b.clean:
        return (f"Cloning into 'repo'... HEAD is now at {b.l('short_sha', v.hexid(8))} "
                f"Merge pull request #{b.r.randint(100, 9999)}")
    user = b.pick(["bob", "ci", "x-access-token", "oauth2"])
    cred = b.s("URL_CREDENTIAL", b.pick([v.token("GITHUB_TOKEN"), v.password(),
                                          v.token("GITLAB_TOKEN")]))
    host = b.pick(["github.com", "gitlab.example.com"])
    return (f"fatal: unable to access 'https://{user}:{cred}@{host}/org/service.git/': "
            "The requested URL returned error: 403")


def klog(b: Builder) -> str:
    """A klog text line from a Kubernetes controller."""
    v = b.v
    t = dt.datetime.fromtimestamp(v.epoch(), tz=dt.UTC)
    head = f"I{t:%m%d %H:%M:%S}.{v.digits(6)}       1 controller.go:{b.r.randint(50, 400)}]"
    pod = b.l("pod", v.pod())
    if b.clean:
        return f'{head} "Reconciling" pod="prod/{pod}" generation={b.r.randint(1, 30)}'
    return f'{head} "Pod scheduled" pod="prod/{pod}" podIP="{b.s("IP_ADDRESS", v.ip())}"'


def support(b: Builder) -> str:
    """Support-desk free text: names, addresses, phones, dates of birth."""
    v = b.v
    order = b.l("order", v.order_id())
    if b.clean:
        return f"ticket closed for order {order}; refund of 12.50 USD issued (case {v.uuid()})"
    name = b.s("PERSON", v.person())
    extra = b.pick([
        lambda: f"shipping to {b.s('STREET_ADDRESS', v.street(full=True))}",
        lambda: f"callback requested at {b.s('PHONE_NUMBER', v.phone())}",
        lambda: f"customer born {b.s('DATE_OF_BIRTH', v.dob('us'))} verified",
        lambda: f"new billing address {b.s('STREET_ADDRESS', v.street())}",
    ])()
    return f"support: customer {name} contacted us about order {order}; {extra}"


def mail_log(b: Builder) -> str:
    """Postfix delivery line."""
    v = b.v
    qid = v.s("0123456789ABCDEF", 10)
    to = b.s("EMAIL", v.email(), "MAILER-DAEMON")
    return (f"postfix/smtp[{b.r.randint(1000, 99999)}]: {qid}: to=<{to}>, "
            f"relay=mx.example.net[{b.l('host_port', 'mx.example.net:25')}], delay=0.31, "
            "status=sent (250 2.0.0 OK)")


def hdfs(b: Builder) -> str:
    """HDFS / JVM style line with block ids, addresses and class names (usually clean)."""
    v = b.v
    blk = b.l("block_id", v.block_id())
    cls = b.l("java_class", v.java_class())
    if b.clean:
        return (f"{v.digits(6)} 203615 148 INFO {cls}: PacketResponder 1 for block {blk} "
                f"terminating at {b.l('hexaddr', v.hexaddr())}")
    return (f"{v.digits(6)} 203807 222 INFO {cls}: Receiving block {blk} src: /"
            f"{b.s('IP_ADDRESS', v.ipv4())}:50010 dest: {b.l('host_port', v.host_port())}")


def bank_text(b: Builder) -> str:
    """Finance batch line with an IBAN or SSN in free text."""
    v = b.v
    inv = b.l("order", v.order_id())
    if b.clean:
        return f"batch {b.l('uuid', v.uuid())}: invoice {inv} reconciled, ref {v.non_luhn16()}"
    if b.chance(0.6):
        return f"SEPA credit transfer for invoice {inv} to account {b.s('IBAN', v.iban())} queued"
    return f"identity check failed for invoice {inv}: SSN {b.s('US_SSN', v.ssn())} mismatch"


def crash(b: Builder) -> str:
    """A native crash line (always clean): hex addresses, versions, pids."""
    v = b.v
    return (f"{b.l('timestamp', v.iso())} FATAL worker[{b.r.randint(100, 9999)}]: SIGSEGV at "
            f"{b.l('hexaddr', v.hexaddr())} in libfoo.so {b.l('semver', v.semver())} "
            f"build {b.l('git_sha', v.hexid(40))} txn {b.l('non_luhn', v.non_luhn16())}")


def token_text(b: Builder) -> str:
    """A plain-text line leaking a vendor token or a Slack/Twilio credential."""
    v = b.v
    _, tok = b.tok()
    return (f"{b.l('timestamp', v.iso(style='space'))} WARN notifier: send failed with "
            f"credential {tok} trace={b.l('trace_id', v.hexid(32))}")


TEXT_TEMPLATES = [
    Template("text", nginx, 1.5, clean_ok=False), Template("text", sql_error),
    Template("text", dict_repr), Template("text", spring_text, 1.2),
    Template("text", http_debug, 1.4), Template("text", airflow_text),
    Template("text", git_remote, 0.8), Template("text", klog), Template("text", support, 1.2),
    Template("text", mail_log, 0.7), Template("text", hdfs),
    Template("text", bank_text), Template("text", crash, 0.8, secret_ok=False),
    Template("text", token_text, 2.0, clean_ok=False),
]
