"""First-corpus templates for person names the lexicon knows little of, in the places
audit trails, markup, shell history and environment dumps put them.

The names are written by hand for the tuning corpus (West African, Vietnamese, Irish,
South Asian, Arabic, Nordic and Baltic names); no name list of a data generator is used.
"""

from __future__ import annotations

from bench._builder import Builder, Template

__all__ = ["PEOPLE_TEMPLATES"]

# names written by hand for the tuning corpus, of traditions the lexicon knows little of
_PEOPLE = (
    "Chukwuemeka Obi", "Kwabena Asante", "Oluwadamilare Bankole", "Folake Adebayo-Smith",
    "Mamadou Ba", "Ousmane Sy", "Aminata Touré", "Ngô Bảo Châu", "Đỗ Hùng", "Trần Văn Bình",
    "Nguyễn Văn An", "Ciarán Ó Súilleabháin", "Pádraig Mac Gearailt", "Lakshmi N. Iyer",
    "Syed Ali Raza", "Venkatesh Subramanian", "Khalid ibn Saeed", "Nour El-Din Hassan",
    "Þórunn Guðmundsdóttir", "Jānis Bērziņš", "Ljubica Horvat", "Wanjiru Kamau",
)
_SLOTS = (
    "{n} exported 12 records from the CRM ({u})", "audit: {n} changed the shipping address of {u}",
    "UPDATE accounts SET holder = '{n}' WHERE ref = '{u}';", '<user displayName="{n}" ref="{u}"/>',
    '<approval owner="{n}" state="ok" ref="{u}"/>', '$ notify --to "{n}" --msg done # {u}',
    "login ok for {n} (sso, {u})", "ticket {u} closed; reporter: {n}",
    "assigned {n} to on-call rotation ({u})", "Shipment for {n} is ready ({u})",
    "Meeting with {n} moved to 3pm ({u})", "NAME={n} REF={u}", "cardholder={n} ref={u}",
    "Dear {n}, your parcel {u} shipped", "{n}'s account {u} was locked",
    "order {u} shipped ({n})", "row {u} | {n} | gold", 'useradd -c "{n}" -m u{u}',
    'git config user.name "{n}" # {u}', "Best regards, {n} ({u})",
)


def person_slot(b: Builder) -> str:
    """A name in the places audit trails, markup, shell and env dumps put one."""
    raw = b.pick(_PEOPLE)
    u = b.l("uuid", b.v.uuid())
    if b.clean:  # the slots name their value a person, so a clean line has none of them
        return f"on-call handover done, no open pages ({u})"
    if b.chance(0.2):  # in capitals after a label, or Surname, Given in a quoted cell
        given, family = raw.split(" ", 1)[0], raw.rsplit(" ", 1)[-1]
        shape = b.pick(("caps", "cell", "title"))
        if shape == "caps":
            return f"NAME: {b.s('PERSON', raw.upper(), 'N/A')} REF {u}"
        if shape == "cell":
            return f'"{b.s("PERSON", f"{family}, {given}", "n/a")}",gold,{u}'
        return f"Mr. {b.s('PERSON', family, 'Smithers')} called about {u}"
    return b.pick(_SLOTS).format(n=b.s("PERSON", raw, "the on-call engineer"), u=u)


def people_field(b: Builder) -> dict[str, object]:
    """A JSON record with a name under a key that holds people."""
    key = b.pick(("actor", "created_by", "attendees", "approver", "owner"))
    name = b.s("PERSON", b.pick(_PEOPLE), "svc-deploy")
    return {"event": "crm.export", key: [name] if key == "attendees" else name,
            "ref": b.l("uuid", b.v.uuid())}


PEOPLE_TEMPLATES = [Template("text", person_slot, 1.0), Template("json", people_field, 0.4)]
