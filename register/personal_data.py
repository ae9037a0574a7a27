"""The record of processing (registerförteckning, GDPR art. 30): what personal data the register
holds, why, on what legal basis, who sees it and how long it is kept.

One source: the page "Personuppgifter" (``public:personal_data``, linked from the footer of the
internal site and of Insyn) renders ``PROCESSING``, the README says the same in words, and
``tests/test_personal_data.py`` checks it against the models: every field that looks personal
(an e-mail address, a phone number, a user name, a link to a person or a user account, a name
written as text) must be named in an entry's ``fields``, so that a new personal field without an
entry fails the test. The fields are written "app_label.Model.field".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# The legal bases, once (GDPR art. 6.1 e with the Swedish laws that give the public task).
PUBLIC_TASK = (
    "Uppgift av allmänt intresse och myndighetsutövning (dataskyddsförordningen artikel 6.1 e): "
    "kommunens och regionens uppgift att leda och redovisa sin verksamhet enligt kommunallagen "
    "(2017:725)."
)
PUBLIC_RECORDS = (
    "Uppgifterna är allmänna handlingar (offentlighetsprincipen, tryckfrihetsförordningen 2 kap.) "
    "och arkiveras enligt arkivlagen (1990:782)."
)
TECHNICAL = (
    "Uppgift av allmänt intresse (artikel 6.1 e) och säkerhet i behandlingen (artikel 32): "
    "registret måste veta vem som loggar in och vad var och en får se och ändra."
)


@dataclass(frozen=True)
class Processing:
    """One kind of personal data in the register: which fields hold it and on what terms."""

    title: str
    data: str
    fields: tuple[str, ...]
    purpose: str
    legal_basis: str
    who_sees: str
    kept: str


PROCESSING: tuple[Processing, ...] = (
    Processing(
        title="Företrädare och tjänstepersoner",
        data="Namn, parti, titel eller uppdrag, typ (förtroendevald eller tjänsteperson) och "
        "organisation.",
        fields=(
            "register.Person.name",
            "register.Person.party",
            "register.Person.title",
            "register.Person.kind",
            "register.Person.organisation",
        ),
        purpose="Visa vem som företräder kommunen eller regionen i samverkans organ och vem som "
        "ansvarar för en samverkan.",
        legal_basis=f"{PUBLIC_TASK} {PUBLIC_RECORDS}",
        who_sees="Alla inloggade. Namn, parti och roll i en publicerad samverkan visas också på "
        "Insyn.",
        kept="Så länge uppgiften behövs för att redovisa uppdrag och offentliga beslut; därefter "
        "enligt kommunens dokumenthanteringsplan (arkivlagen). Namnen gallras inte av registret.",
    ),
    Processing(
        title="Kontaktuppgifter",
        data="E-postadress och telefonnummer till en företrädare eller tjänsteperson.",
        fields=("register.Person.email", "register.Person.phone"),
        purpose="Nå företrädaren inför sammanträden (föredragningar och påminnelser).",
        legal_basis=PUBLIC_TASK,
        who_sees="Medlemmar i personens organisation och registrets administratör. Aldrig på "
        "Insyn.",
        kept="Till {contact_days} dagar efter att personens sista uppdrag tog slut, om personen "
        "inte har något uppdrag som pågår eller ska börja och inte är ansvarig för ett "
        "deltagande. Sedan tas de bort automatiskt (purge_personal_data), även ur "
        "ändringshistoriken.",
    ),
    Processing(
        title="Interna anteckningar om en person",
        data="Fritext som organisationen skriver om personen.",
        fields=("register.Person.internal_note",),
        purpose="Organisationens egna arbetsanteckningar om uppdraget.",
        legal_basis=PUBLIC_TASK,
        who_sees="Medlemmar i personens organisation och registrets administratör.",
        kept="Tills organisationen tar bort anteckningen eller personen.",
    ),
    Processing(
        title="Uppdrag och ansvar",
        data="Uppdrag i samverkans organ (roll, parti, mandatperiod, mandat, beslut om val) och "
        "vem som är politiskt ansvarig eller ansvarig tjänsteperson för ett deltagande.",
        fields=(
            "register.Seat.person",
            "register.Seat.party",
            "register.Participation.political_owner",
            "register.Participation.admin_owner",
        ),
        purpose="Redovisa vem som företräder vem, och vem som ansvarar för kommunens deltagande.",
        legal_basis=f"{PUBLIC_TASK} {PUBLIC_RECORDS}",
        who_sees="Alla inloggade som ser samverkan. I en publicerad samverkan också på Insyn.",
        kept="Så länge samverkan finns i registret; uppdrag som har tagit slut behålls som "
        "historik över vem som satt i organet.",
    ),
    Processing(
        title="Ställningstaganden, beslut och informationslogg",
        data="Vem som förankrade ett ställningstagande, vilka som informerades om ett beslut "
        "eller ett ställningstagande, och vem som registrerade informationen.",
        fields=(
            "register.Position.agreed_by",
            "register.Decision.informed",
            "register.InformationEntry.person",
            "register.InformationEntry.informed",
            "register.InformationEntry.recorded_by",
        ),
        purpose="Visa hur ett ställningstagande förankrades och att de som skulle informeras "
        "blev informerade.",
        legal_basis=f"{PUBLIC_TASK} {PUBLIC_RECORDS}",
        who_sees="Medlemmar i organisationen; beslut i en samverkan också dess parter, och "
        "publicerade beslut och ställningstaganden alla.",
        kept="Som besluten och ställningstagandena: enligt dokumenthanteringsplanen.",
    ),
    Processing(
        title="Användarkonton och behörigheter",
        data="Användarnamn, för- och efternamn, e-postadress, senaste inloggning, medlemskap "
        "(läsare, redigerare eller organisationsadministratör) och kopplingen mellan konto och "
        "person, kontot hos kommunens inloggningstjänst (utfärdare och id, vid inloggning via "
        "kommunens konto), kalenderadressen och vem som bad om och besvarade en begäran om "
        "deltagande.",
        fields=(
            "auth.User.username",
            "auth.User.first_name",
            "auth.User.last_name",
            "auth.User.email",
            "register.Person.user",
            "register.Membership.user",
            "register.CalendarToken.user",
            "register.JoinRequest.requested_by",
            "register.JoinRequest.decided_by",
            "register.ExternalIdentity.user",
        ),
        purpose="Inloggning, behörighet och kontakt med den som använder registret.",
        legal_basis=TECHNICAL,
        who_sees="Registrets administratör; kontots namn visas för medlemmar i samma organisation.",
        kept="Så länge personen använder registret. Administratören tar bort eller stänger "
        "kontot när personen slutar.",
    ),
    Processing(
        title="Inbjudningar",
        data="Namn och e-postadress på den som bjuds in till en organisation, rollen, vem som "
        "bjöd in och vilket konto som tog emot inbjudan.",
        fields=(
            "register.Invitation.email",
            "register.Invitation.invited_by",
            "register.Invitation.accepted_by",
        ),
        purpose="Ge en ny användare behörighet i organisationen och visa vem som gav den.",
        legal_basis=TECHNICAL,
        who_sees="Organisationens administratörer och registrets administratör.",
        kept="En mottagen inbjudan så länge kontot har rollen. En inbjudan som aldrig togs emot "
        "tas bort, med sin historik, {invitation_days} dagar efter att den gick ut eller drogs "
        "tillbaka (purge_personal_data).",
    ),
    Processing(
        title="Ändringshistorik",
        data="Varje ändring av en post med tidpunkt, vem som ändrade och de tidigare värdena "
        "(historiktabellerna, även personens), och Django-adminens logg.",
        fields=("admin.LogEntry.user",),
        purpose="Spårbarhet: vem ändrade vad och när, och att kunna ångra en import.",
        legal_basis=f"{PUBLIC_TASK} {PUBLIC_RECORDS}",
        who_sees="Medlemmar som får se posten (tidigare värden i interna fält bara den som får "
        "se dem).",
        kept="Så länge posten finns. Gallrade kontaktuppgifter tas bort även ur historiken.",
    ),
    Processing(
        title="Inloggningar och sessioner",
        data="Sessionen för den som är inloggad, samt användarnamn, IP-adress och "
        "webbläsare vid inloggningsförsök (django-axes).",
        fields=(
            "sessions.Session.session_data",
            "axes.AccessAttempt.username",
            "axes.AccessAttempt.ip_address",
            "axes.AccessAttempt.user_agent",
            "axes.AccessLog.username",
            "axes.AccessLog.ip_address",
            "axes.AccessLog.user_agent",
            "axes.AccessLog.session_hash",
            "axes.AccessFailureLog.username",
            "axes.AccessFailureLog.ip_address",
            "axes.AccessFailureLog.user_agent",
        ),
        purpose="Hålla användaren inloggad och stoppa den som gissar lösenord.",
        legal_basis=TECHNICAL,
        who_sees="Registrets administratör.",
        kept="En session tills den går ut; utgångna sessioner tas bort varje dygn "
        "(clearsessions). Inloggningsloggarna i {login_log_days} dagar (axes_reset_logs och "
        "axes_reset_failure_logs).",
    ),
    Processing(
        title="Uppladdade importfiler",
        data="Kalkylblad som en organisation laddar upp kan innehålla namn och kontaktuppgifter, "
        "liksom importomgångens rader, och vem som laddade upp och beslutade.",
        fields=(
            "importers.ImportBatch.created_by",
            "importers.ImportBatch.file_name",
            "importers.ImportChoice.decided_by",
        ),
        purpose="Föra in en organisations uppgifter i registret och visa vad importen ändrade.",
        legal_basis=PUBLIC_TASK,
        who_sees="Medlemmar i organisationen och registrets administratör.",
        kept="Själva filen i högst {import_days} dagar (purge_imports); "
        "importomgången och dess rader så länge registret finns.",
    ),
    Processing(
        title="Pdf:er som tas fram i bakgrunden",
        data="Introduktionspaket, underlag till genomgångar och föredragningar som pdf (med namnen "
        "på förtroendevalda och tjänstepersoner som handlingen nämner), och vem som beställde "
        "pdf:en.",
        fields=("register.BackgroundJob.requested_by",),
        purpose="Lämna ut en färdig pdf direkt i stället för att ta fram den vid varje "
        "nedladdning.",
        legal_basis=PUBLIC_TASK,
        who_sees="Användare som ser samma uppgifter som den som beställde (medlemmar i samma "
        "organisationer) och registrets administratör.",
        kept="Tills samma handling tas fram på nytt efter en ändring i registret; då tas den "
        "äldre filen bort.",
    ),
    Processing(
        title="Styrdokument",
        data="Förbundsordningar, reglementen, avtal och andra styrdokument som laddas upp kan "
        "innehålla namn på förtroendevalda och tjänstepersoner; registret noterar vem som laddade "
        "upp varje fil.",
        fields=("register.Document.uploaded_by",),
        purpose="Visa vilka handlingar en samverkan vilar på och när de ska revideras.",
        legal_basis=PUBLIC_TASK,
        who_sees="Medlemmar i samverkans parter; publicerade handlingar alla på Insyn.",
        kept="Så länge samverkan finns i registret; en ersatt version finns kvar att läsa.",
    ),
    Processing(
        title="Serverns loggar",
        data="Fel och varningar från registret; webbserverns åtkomstlogg med IP-adresser "
        "(utanför registret, hos den som driver servern).",
        fields=(),
        purpose="Drift, felsökning och säkerhet.",
        legal_basis=TECHNICAL,
        who_sees="Den som driver servern.",
        kept="Enligt driftens rutin; vi rekommenderar högst {login_log_days} dagar.",
    ),
)

# How long the log of logins (django-axes) is kept: the figure the README's cron line uses.
LOGIN_LOG_DAYS = 90
# How long an invitation that was never accepted is kept after it expired or was withdrawn.
UNANSWERED_INVITATION_DAYS = 30


def contact_retention_days() -> int:
    """Return how many days a person's phone and e-mail are kept after their last seat ended
    (``PERSONAL_DATA_CONTACT_RETENTION_DAYS``)."""
    return settings.PERSONAL_DATA_CONTACT_RETENTION_DAYS


def processing() -> list[Processing]:
    """Return ``PROCESSING`` with the configured figures written into the retention texts."""
    figures = {
        "contact_days": contact_retention_days(),
        "import_days": settings.IMPORT_PREVIEW_DAYS,
        "login_log_days": LOGIN_LOG_DAYS,
        "invitation_days": UNANSWERED_INVITATION_DAYS,
    }
    return [Processing(**{**p.__dict__, "kept": p.kept.format(**figures)}) for p in PROCESSING]


def listed_fields() -> frozenset[str]:
    """Return every field that an entry names ("app_label.Model.field")."""
    return frozenset(name for p in PROCESSING for name in p.fields)
