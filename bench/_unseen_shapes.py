"""Text and logfmt shapes of the unseen corpus (``bench.unseen``); JSON shapes live there.

Each function builds one line through an ``UnseenBuilder`` and labels every secret as it
is spelled in the line (SQL-doubled quotes, percent-encoding and ``+`` for spaces where
the shape does that). National phone formats only appear right after a word such as
phone, tel, mobile, SMS, call or fax.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.unseen import UnseenBuilder as B

__all__ = ["ENV_NAME", "SHAPES"]

ENV_NAME = {
    "GITHUB": "GH_TOKEN", "AWS": "AWS_SECRET_ACCESS_KEY", "SLACK": "SLACK_WEBHOOK",
    "STRIPE": "STRIPE_SECRET_KEY", "OPENAI": "OPENAI_API_KEY", "GITLAB": "GITLAB_TOKEN",
    "NPM": "NPM_TOKEN", "HUGGINGFACE": "HF_TOKEN", "SENDGRID": "SENDGRID_API_KEY",
    "TWILIO": "TWILIO_AUTH_TOKEN", "DATADOG": "DD_API_KEY", "GOOGLE": "GOOGLE_API_KEY",
    "SHOPIFY": "SHOPIFY_ACCESS_TOKEN", "DIGITALOCEAN": "DIGITALOCEAN_ACCESS_TOKEN",
}
_HTTP_PROVIDERS = ("GITHUB", "OPENAI", "SENDGRID", "DATADOG", "SHOPIFY", "GOOGLE",
                   "HUGGINGFACE", "GITLAB", "STRIPE", "DIGITALOCEAN")


def _sql(s: str) -> str:
    return s.replace("'", "''")


def _pct(s: str) -> str:
    return urllib.parse.quote(s, safe="")


def _plus(s: str) -> str:
    return urllib.parse.quote_plus(s)


def _host(b: B) -> str:
    return b.pick(("pay-gw-02", "crm-app-11", "ledger-1", "edge-fra-07", "kyc-worker-3"))


# -- logfmt ---------------------------------------------------------------------------------
def _logfmt_auth(b: B) -> str:
    if b.r.random() < 0.5:
        return f"ts={b.ts()} level=warn svc=idp msg=\"login failed\" user=\"{b.person()}\" " \
               f"email={b.email()} attempt={b.r.randint(2, 6)} req={b.look()}"
    return f"ts={b.ts()} level=debug svc=legacy-sso msg=\"basic auth rejected\" " \
           f"username={b.email(same=False)} password={b.pw()} took={b.look()}"


def _logfmt_payment(b: B) -> str:
    return f"at=info method=POST path=/charges card=\"{b.card()}\" holder=\"{b.person()}\" " \
           f"amount={b.r.randint(1, 900)}.{b.r.randint(0, 99):02d} currency=EUR " \
           f"duration={b.look()} release={b.look()}"


def _logfmt_env(b: B) -> str:
    p1, t1 = b.tok()
    if b.r.random() < 0.5:
        return f"msg=\"boot env\" {ENV_NAME[p1]}={t1} DB_PASSWORD={b.pw(safe=True)} " \
               f"NODE_ENV=production pod={b.look()}"
    p2, t2 = b.tok(*(p for p in ENV_NAME if p != p1))
    return f"msg=\"boot env\" {ENV_NAME[p1]}={t1} {ENV_NAME[p2]}={t2} " \
           f"PGPASSWORD={b.pw(safe=True)} pod={b.look()}"


# -- text -----------------------------------------------------------------------------------
def _syslog(b: B) -> str:
    return f"<165>1 {b.ts()} {_host(b)} kyc-api {b.r.randint(300, 9000)} KYC " \
           f"[ctx@32473 customer=\"{b.person()}\" tel=\"{b.phone()}\" iban=\"{b.iban()}\"]" \
           f" verification pending for {b.look()}"


def _apache(b: B) -> str:
    ts = f"[{b.r.randint(1, 28):02d}/Nov/2026:{b.r.randint(0, 23):02d}:" \
         f"{b.r.randint(10, 59)}:{b.r.randint(10, 59)} +0100]"
    shape = b.r.randrange(3)
    if shape == 0:
        mail = b.email(fx=_pct if b.r.random() < 0.5 else str, same=False)
        q = f"/account/recover?email={mail}&lang=de"
    elif shape == 1:
        _p, t = b.tok("GOOGLE", "DATADOG", "OPENAI", "SHOPIFY")
        q = f"/v1/export?api_key={t}&format=csv&since={b.look()}"
    else:
        q = f"/sms/verify?to={b.phone(fx=_pct)}&template=otp"
    return f"edge-lb.internal - - {ts} \"GET {q} HTTP/1.1\" {b.pick(('200', '302', '401'))} " \
           f"{b.r.randint(0, 9000)} \"-\" \"okhttp/4.12.0\""


def _nginx_error(b: B) -> str:
    return f"2026/11/{b.r.randint(10, 28)} 0{b.r.randint(0, 9)}:12:44 [warn] 2211#2211: " \
           f"*{b.r.randint(1000, 99999)} upstream timed out, client: edge-lb, server: " \
           f"pay.example.com, request: \"POST /checkout/confirm?pan=" \
           f"{b.card(sep=b.pick(('', '-')))}&holder={b.person(fx=_plus, titled=False)} " \
           f"HTTP/2.0\", upstream: \"http://{b.look('hostname')}:8080/confirm\", " \
           f"host: \"pay.example.com\""


def _java(b: B) -> str:
    iban = b.iban(grouped=False)
    return f"ERROR [http-nio-8080-exec-{b.r.randint(1, 40)}] {b.look('java_class')} - " \
           f"Failed to persist " \
           f"Customer{{id={b.r.randint(100, 99999)}, fullName='{b.person(titled=False)}', " \
           f"email='{b.email()}', iban='{iban}'}} org.hibernate.exception." \
           f"ConstraintViolationException: duplicate key; Detail: Key (iban)=({iban}) exists"


def _py_repr(b: B) -> str:
    name, mail, tel, home = b.person(titled=False), b.email(), b.phone(), b.addr()
    return f"DEBUG crm.sync: upserting Contact(id={b.r.randint(1, 90000)}, " \
           f"display_name={name!r}, email={mail!r}, phone={tel!r}, address={home!r}, " \
           f"tags=['vip'], synced_at={b.look()!r})"


def _tsv(b: B) -> str:
    cells = [str(b.r.randint(10000, 99999)), b.person(titled=False), b.email(), b.phone(),
             b.addr(), b.look()]
    return "export.row\t" + "\t".join(cells)


def _markdown(b: B) -> str:
    return f"| {b.look()} | {b.person()} | {b.phone()} | {b.addr()} | escalated |"


def _ticket(b: B) -> str:
    shape = b.r.randrange(4)
    if shape == 0:
        return f"Ticket #{b.r.randint(10000, 99999)} (agent note): spoke to {b.person()}, " \
               f"refund should go to {b.iban()} instead of the card on file ({b.look()})."
    if shape == 1:
        return f"Customer {b.person()} wrote in from {b.email()} asking why {b.card()} " \
               f"was charged twice for {b.look()}."
    if shape == 2:
        return f"Courier note: leave the parcel with the neighbour at {b.addr()}, " \
               f"ring {b.person(titled=False)} on mobile {b.phone(national=True)} first."
    return f"Follow-up: {b.person()} asked us to update her address to {b.addr()}; " \
           f"old one removed in {b.look()}."


def _chatops(b: B) -> str:
    shape = b.r.randrange(3)
    if shape == 0:
        return f"[#inc-{b.r.randint(100, 9999)}] @oncall please call {b.person()} on " \
               f"{b.phone(national=b.r.random() < 0.4)} re {b.look()}, they are locked out"
    if shape == 1:
        return f"@here leaked key {b.tok()[1]} spotted in {b.look()}, rotating it now"
    return f"/page secops contact {b.person(titled=False)} <{b.email()}> about {b.look()}"


def _mail_headers(b: B) -> str:
    return f"From: \"{b.person(titled=False)}\" <{b.email()}>; To: undisclosed-recipients:;" \
           f" Reply-To: {b.email(same=False)}; Subject: Re: standing order to {b.iban()};" \
           f" Message-ID: <{b.look()}@mail.example.net>"


def _yaml_escaped(b: B) -> str:
    return f"helm values rendered: \"db:\\n  host: {b.look('hostname')}\\n  user: billing\\n" \
           f"  password: {b.pw()}\\nsmtp:\\n  user: {b.email(same=False)}\\n" \
           f"  pass: {b.pw()}\\n\""


def _http_dump(b: B) -> str:
    p, t = b.tok(*_HTTP_PROVIDERS)
    header = {"GITHUB": "Authorization: token", "DATADOG": "DD-API-KEY:",
              "SHOPIFY": "X-Shopify-Access-Token:", "GOOGLE": "x-goog-api-key:"}
    auth = f"{header.get(p, 'Authorization: Bearer')} {t}"
    return f"> POST /v2/notify HTTP/1.1 > Host: api.partner.example > {auth} > " \
           f"Content-Type: application/json > X-Trace: {b.look()} > " \
           f"{{\"to\": \"{b.phone()}\", \"name\": \"{b.person(titled=False)}\"}}"


def _kafka_connect(b: B) -> str:
    return f"[2026-11-{b.r.randint(10, 28)} 08:12:44,{b.r.randint(100, 999)}] ERROR " \
           f"[pg-sink|task-{b.r.randint(0, 5)}] Error converting value in topic " \
           f"'crm.contacts' partition 3: ConnectRecord{{topic='crm.contacts', " \
           f"value=Struct{{full_name={b.person(titled=False)},email={b.email()}," \
           f"mobile={b.phone()},iban={b.iban()}}}, ts={b.look()}}} " \
           f"(org.apache.kafka.connect.runtime.WorkerSinkTask:547)"


# logged statements, not queries anybody runs: hence the S608 waivers
def _sql_insert(b: B) -> str:
    values = f"('{b.person(fx=_sql, titled=False)}', '{b.email()}', '{b.phone()}', " \
             f"'{b.addr(fx=_sql)}')"
    return f"LOG:  duration: {b.r.randint(1, 900)}.{b.r.randint(100, 999)} ms  statement: " \
           "INSERT INTO customers (full_name, email, phone, street) VALUES " \
           f"{values} RETURNING id /* {b.look()} */"  # noqa: S608


def _sql_update(b: B) -> str:
    if b.r.random() < 0.6:
        sets = f"pan = '{b.card()}', holder = '{b.person(fx=_sql, titled=False)}'"
        return f"slow query {b.look()}: UPDATE payment_methods SET {sets} " \
               f"WHERE customer_id = {b.r.randint(1, 99999)}"  # noqa: S608
    sets = f"secret = '{b.pw()}'"
    return f"slow query {b.look()}: UPDATE service_accounts SET {sets} " \
           "WHERE name = 'etl-nightly'"  # noqa: S608


def _soap(b: B) -> str:
    if b.r.random() < 0.5:
        return f"SOAP fault for request: <soapenv:Body><ns2:openAccount><holder>" \
               f"{b.person(titled=False)}</holder><iban>{b.iban()}</iban><email>" \
               f"{b.email()}</email><ref>{b.look()}</ref></ns2:openAccount></soapenv:Body>"
    return f"outbound: <wsse:UsernameToken><wsse:Username>svc-ledger</wsse:Username>" \
           f"<wsse:Password Type=\"#PasswordText\">{b.pw()}</wsse:Password>" \
           f"</wsse:UsernameToken> endpoint={b.look()}"


def _shell_history(b: B) -> str:
    n = f"  {b.r.randint(100, 2999)}  "
    shape = b.r.randrange(8)
    host = b.look("hostname")
    if shape == 0:
        return f"{n}mysql -h {host} -u billing -p'{b.pw()}' ledger"
    if shape == 1:
        return f"{n}psql \"postgresql://report:{b.pw(safe=True)}@{host}:5432/analytics\""
    if shape == 2:
        return f"{n}export DB_PASSWORD={b.pw(safe=True)} && ./migrate --host {host}"
    if shape == 3:
        return f"{n}git clone https://oauth2:{b.tok('GITLAB')[1]}@{host}/grp/repo.git"
    if shape == 4:
        return f"{n}npm config set //{host}/:_authToken={b.tok('NPM')[1]}"
    if shape == 5:
        return f"{n}docker login -u deploy --password={b.pw(safe=True)} {host}"
    if shape == 6:
        return f"{n}HF_ENDPOINT=https://{host} huggingface-cli login " \
               f"--token {b.tok('HUGGINGFACE')[1]}"
    return f"{n}aws configure set aws_secret_access_key {b.tok('AWS')[1]} --profile prod # {host}"


def _conn_string(b: B) -> str:
    host, pw = b.look("hostname"), b.pw(safe=True)
    return b.pick((
        f"HikariPool-1 - Failed to validate connection jdbc:postgresql://{host}:5432/ledger"
        f"?user=svc&password={pw}",
        f"ServerSelectionTimeoutError: mongodb+srv://app:{pw}@{host}/?retryWrites=true",
        f"celery.worker: Cannot connect to amqp://worker:{pw}@{host}:5672//, retrying",
        f"AuthenticationError for rediss://default:{pw}@{host}:6380/0",
    ))


def _go_struct(b: B) -> str:
    return f"2026/11/0{b.r.randint(1, 9)} 08:12:44 handler.go:118: signup payload " \
           f"&{{Name:{b.person(titled=False)} Email:{b.email()} Phone:{b.phone()} " \
           f"Card:{b.card(sep='')} Trace:{b.look()}}}"


def _rails_params(b: B) -> str:
    pw = b.pw()
    return f"Processing by UsersController#create as HTML  Parameters: {{\"user\"=>" \
           f"{{\"name\"=>\"{b.person(titled=False)}\", \"email\"=>\"{b.email()}\", " \
           f"\"password\"=>\"{pw}\", \"password_confirmation\"=>\"{pw}\"}}, " \
           f"\"request_id\"=>\"{b.look()}\"}}"


def _form_body(b: B) -> str:
    return f"webhook delivery 3/5 to https://hooks.partner.example/in failed (504): " \
           f"body=full_name={b.person(fx=_plus, titled=False)}&email=" \
           f"{b.email(fx=_pct)}&shipping={b.addr(fx=_plus)}&order={b.look()}"


def _national_phone(b: B) -> str:
    shape = b.r.randrange(4)
    tel = b.phone(national=True)
    if shape == 0:
        return f"SMS gateway: queued OTP to {tel} via {b.look()}"
    if shape == 1:
        return f"label printed: deliver to {b.person()}, {b.addr()}, tel. {tel}"
    if shape == 2:
        return f"fax {tel} unreachable after 3 attempts ({b.look()})"
    return f"IVR: customer asked for a call back, phone {tel}, queue {b.look()}"


def _card_gateway(b: B) -> str:
    return f"GW-RESP|PAN={b.card()}|EXP={b.r.randint(1, 12):02d}{b.r.randint(27, 31)}|" \
           f"HOLDER={b.person(titled=False)}|AMT={b.r.randint(1, 999)}.00|RC=05|ID={b.look()}"


def _ops_clean(b: B) -> str:
    return f"rollout {b.look()} finished on {b.look()} in {b.look()} (ticket {b.look()})"


SHAPES: tuple[tuple[str, Callable[[Any], Any], float], ...] = (
    ("logfmt", _logfmt_auth, 4), ("logfmt", _logfmt_payment, 3), ("logfmt", _logfmt_env, 3),
    ("text", _syslog, 3), ("text", _apache, 3), ("text", _nginx_error, 2), ("text", _java, 3),
    ("text", _py_repr, 3), ("text", _tsv, 2), ("text", _markdown, 2), ("text", _ticket, 4),
    ("text", _chatops, 3), ("text", _mail_headers, 2), ("text", _yaml_escaped, 2),
    ("text", _http_dump, 3), ("text", _kafka_connect, 2), ("text", _sql_insert, 2),
    ("text", _sql_update, 2), ("text", _soap, 2), ("text", _shell_history, 4),
    ("text", _conn_string, 3), ("text", _go_struct, 2), ("text", _rails_params, 2),
    ("text", _form_body, 2), ("text", _national_phone, 3), ("text", _card_gateway, 2),
    ("text", _ops_clean, 2),
)
