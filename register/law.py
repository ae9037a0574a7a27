"""What the law says a governing document must settle: one checklist per kind of document.

The registrar reads the document and writes, per item, where it stands ("§ 4") or "saknas"
(``Document.checklist``); ``register.rules.checklist_missing`` says what is missing, for the
arrangement's page and the board's review ("Förbundsordningen reglerar inte: …"). The lists are
data, read by ``register.rules`` only (the one place for the register's rules).

Sources (the items are the law's, in the law's order, in the register's words):

* **Förbundsordning**: kommunallagen (2017:725) 9 kap. 6 §, which lists what a kommunalförbund's
  förbundsordning shall state (members, purpose, seat, the tasks handed over, the deciding
  assembly and its size, auditors, the members' shares in assets and liabilities, how costs
  are covered, the budget procedure, the right of initiative, where notices are published, the
  members' contributions, their insight, withdrawal, liquidation and dissolution). The
  earlier text was kommunallagen (1991:900) 3 kap. 28 §. The items below follow the register's
  brief (issue 24); check their wording against the law in force (riksdagen.se, SFS 2017:725)
  when the law changes: the public reference corpus available when this was written held the
  older kommunalförbundslagen (1985:894) and prop. 2016/17:171, not the consolidated text.
* **Gemensam nämnd**: KL 9 kap. 19–20 §§: a reglemente, and an agreement between the
  cooperating municipalities on what the law leaves to them (costs, insight, tasks).
* **Avtalssamverkan**: KL 9 kap. 37 § (one municipality performs a task for another under an
  agreement); what such an agreement settles is the parties' own business, so the items are
  those SKR's guidance names (parties, task, compensation, term, termination).
* **Bolagsordning**: aktiebolagslagen (2005:551) 3 kap. 1 § (what every bolagsordning states)
  and, for a municipal company, KL 10 kap. 3 § (the municipal purpose, the principles of
  municipal competence, the council's right to decide before major decisions, lay auditors).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    key: str
    label: str


@dataclass(frozen=True)
class Checklist:
    #: What the document is called in a sentence ("Förbundsordningen").
    subject: str
    #: The law, cited on the page.
    citation: str
    items: tuple[Item, ...]


FOUNDATION_CHARTER = Checklist(
    subject="Förbundsordningen",
    citation="kommunallagen (2017:725) 9 kap. 6 §",
    items=(
        Item("members", "förbundsmedlemmarna"),
        Item("purpose", "förbundets ändamål"),
        Item("seat", "förbundets säte"),
        Item("tasks", "de uppgifter (angelägenheter) förbundet ska ha hand om"),
        Item("organ", "om förbundet ska ha fullmäktige eller direktion"),
        Item("seats", "antalet ledamöter och ersättare i den beslutande församlingen"),
        Item("term", "mandattiden"),
        Item("auditors", "antalet revisorer"),
        Item("shares", "medlemmarnas andel i tillgångar och skulder samt ansvar för skulderna"),
        Item("costs", "grunderna för hur kostnaderna ska täckas"),
        Item("budget", "hur budgeten upprättas och medlemmarnas initiativrätt"),
        Item("notices", "var kungörelser och tillkännagivanden anslås"),
        Item("contributions", "hur medlemmarnas bidrag tas ut"),
        Item("insight", "medlemmarnas insyn och rätt att ta initiativ"),
        Item("withdrawal", "utträde ur förbundet"),
        Item("dissolution", "likvidation och upplösning"),
        Item("disputes", "hur tvister mellan förbundet och medlemmarna löses"),
    ),
)

JOINT_COMMITTEE_AGREEMENT = Checklist(
    subject="Överenskommelsen om den gemensamma nämnden",
    citation="kommunallagen (2017:725) 9 kap. 19–20 §§",
    items=(
        Item("host", "värdkommunen och i vilken organisation nämnden ingår"),
        Item("tasks", "nämndens uppgifter"),
        Item("seats", "antalet ledamöter och ersättare och hur de fördelas"),
        Item("costs", "hur kostnaderna fördelas"),
        Item("insight", "de samverkande kommunernas insyn"),
        Item("term", "avtalstid, uppsägning och vad som sker när samverkan upphör"),
    ),
)

AGREEMENT = Checklist(
    subject="Samverkansavtalet",
    citation="kommunallagen (2017:725) 9 kap. 37 §",
    items=(
        Item("parties", "parterna"),
        Item("tasks", "vilka uppgifter som utförs och av vem"),
        Item("delegation", "vilken beslutanderätt som lämnas över"),
        Item("compensation", "ersättningen och hur den beräknas"),
        Item("followup", "uppföljning och insyn"),
        Item("term", "avtalstid och uppsägning"),
    ),
)

ARTICLES = Checklist(
    subject="Bolagsordningen",
    citation="aktiebolagslagen (2005:551) 3 kap. 1 § och kommunallagen (2017:725) 10 kap. 3 §",
    items=(
        Item("name", "bolagets företagsnamn"),
        Item("seat", "säte (kommunen där styrelsen har sitt säte)"),
        Item("business", "verksamhetens art"),
        Item("capital", "aktiekapitalet och antalet aktier"),
        Item("board", "antalet styrelseledamöter och revisorer"),
        Item("meeting", "hur kallelse till bolagsstämma sker"),
        Item("municipal_purpose", "det kommunala ändamålet"),
        Item("competence", "de kommunala befogenheter som gäller för verksamheten"),
        Item("council", "fullmäktiges rätt att ta ställning före viktigare beslut"),
        Item("lay_auditors", "lekmannarevisorer"),
    ),
)

#: The checklist of a document kind (``Document.Kind`` values); an agreement's depends on the
#: form of the arrangement (``CHECKLIST_BY_FORM``).
CHECKLIST_BY_KIND = {
    "charter": FOUNDATION_CHARTER,
    "articles": ARTICLES,
}
CHECKLIST_BY_FORM = {
    ("agreement", "joint_committee"): JOINT_COMMITTEE_AGREEMENT,
    ("agreement", "agreement"): AGREEMENT,
}

#: What the registrar writes for an item the document does not settle.
MISSING = "saknas"
