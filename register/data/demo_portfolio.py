"""Täby kommun's illustrative portfolio for the demo (``python manage.py load_demo``).

Everything here is **example data**: the arrangements with ``key`` starting ``demo-`` are invented,
and for Täby's real memberships (ssbf, kappala, srmh, taby_alkohol, taby_livsmedel; see
arrangements.csv) only the membership is a fact; costs, people, goals, evaluations, alternatives,
decisions and the review are invented. Amounts for 2022–2024 follow exempel_forteckning.xlsx.

Organisations are referred to by code: a four-digit kommunkod, a two-digit county code for a
region, or ``FK`` / ``AF`` for Försäkringskassan / Arbetsförmedlingen.
"""

TABY = "0160"

# The public websites of the municipalities in the portfolio and of the real arrangements the demo
# shows on Insyn (real addresses, public facts): Insyn's "Kontakt" links to them.
WEBSITES = {
    "0160": "https://www.taby.se/",
    "0162": "https://www.danderyd.se/",
    "0115": "https://www.vallentuna.se/",
}
ARRANGEMENT_WEBSITES = {"kappala": "https://www.kappala.se/"}

EXAMPLE_NOTE = "Exempeldata: samverkan är påhittad för att visa hur registret fungerar."

# --- Invented arrangements ------------------------------------------------------------------

ARRANGEMENTS = [
    {
        "key": "demo-taby-lon",
        "name": "Gemensam lönenämnd för Täby, Danderyd och Vallentuna",
        "short_name": "Lönenämnden",
        "form": "joint_committee",
        "areas": ["lon"],
        "motives": ["competence", "cost", "robustness"],
        "capacity_type": "operations",
        "status": "active",
        "start_date": "2017-01-01",
        "host": TABY,
        "decision_rule": "Enkel majoritet; varje kommun har en ledamot och en ersättare.",
        "public_description": (
            "Täby är värdkommun för en gemensam lönenämnd. Ett gemensamt lönecenter sköter löner "
            "för omkring 9 000 anställda i de tre kommunerna, vilket ger stabilare drift och lägre "
            "kostnad per lönespecifikation."
        ),
        "participants": [TABY, "0162", "0115"],
    },
    {
        "key": "demo-taby-it",
        "name": "IT-drift i samverkan med Danderyds kommun",
        "short_name": "IT-drift Danderyd",
        "form": "agreement",
        "areas": ["it"],
        "motives": ["capacity", "robustness"],
        "capacity_type": "operations",
        "status": "renegotiation",
        "start_date": "2020-01-01",
        "end_date": "2027-12-31",
        "notice_months": 12,
        "host": "0162",
        "decision_rule": "Avtal enligt 9 kap. 37 § kommunallagen; Danderyd utför, Täby beställer.",
        "public_description": (
            "Danderyds kommun driftar Täbys servrar, nätverk och e-post enligt ett "
            "samverkansavtal. Täby behåller ansvaret och beställer tjänsterna."
        ),
        "participants": ["0162", TABY],
    },
    {
        "key": "demo-taby-ofn",
        "name": "Överförmyndarnämnden i Södra Roslagen",
        "short_name": "Överförmyndarnämnden",
        "form": "joint_committee",
        "areas": ["overformyndare"],
        "motives": ["legal_certainty", "competence"],
        "capacity_type": "operations",
        "status": "active",
        "start_date": "2015-01-01",
        "host": "0117",
        "decision_rule": "Enkel majoritet; ordföranden har utslagsröst.",
        "public_description": (
            "En gemensam överförmyndarnämnd med Österåker som värdkommun granskar gode män och "
            "förvaltare för fyra kommuner. Samverkan ger en rättssäker handläggning med "
            "specialiserad personal."
        ),
        "participants": [
            "0117",
            TABY,
            "0187",
            "0162",
        ],
    },
    {
        "key": "demo-taby-finsam",
        "name": "Samordningsförbundet Södra Roslagen",
        "short_name": "Finsam Södra Roslagen",
        "form": "coordination_federation",
        "areas": ["arbetsmarknad_rehabilitering"],
        "motives": ["quality", "equal_service"],
        "capacity_type": "development",
        "status": "active",
        "start_date": "2012-01-01",
        "decision_rule": "Beslut i styrelsen i enighet, enligt lagen om finansiell samordning.",
        "public_description": (
            "Kommunerna, Region Stockholm, Försäkringskassan och Arbetsförmedlingen finansierar "
            "gemensamt insatser för personer som behöver stöd från flera myndigheter för att "
            "komma i arbete."
        ),
        "participants": [
            TABY,
            "0162",
            "0115",
            "0187",
            "0117",
            "01",
            "FK",
            "AF",
        ],
    },
    {
        "key": "demo-taby-bolag",
        "name": "Roslagens Återvinning AB",
        "short_name": "Roslagens Återvinning",
        "form": "joint_company",
        "areas": ["avfall"],
        "motives": ["cost", "capacity", "quality"],
        "capacity_type": "operations",
        "status": "active",
        "start_date": "2014-01-01",
        "decision_rule": "Bolagsordning och ägardirektiv; ägarsamråd två gånger per år.",
        "public_description": (
            "Ett bolag som ägs av fem kommuner och sköter insamling av hushållsavfall och driver "
            "återvinningscentralerna. Kommunerna beslutar om renhållningstaxan."
        ),
        "participants": [TABY, "0117", "0115", "0162", "0187"],
        "ownership_shares": {TABY: 35, "0117": 25, "0115": 20, "0162": 12, "0187": 8},
    },
    {
        "key": "demo-taby-natverk",
        "name": "Politisk samverkansgrupp Norrort",
        "short_name": "Samverkansgrupp Norrort",
        "form": "network",
        "areas": ["regional_utveckling", "naringsliv"],
        "motives": ["capacity", "quality"],
        "capacity_type": "development",
        "status": "active",
        "start_date": "2016-01-01",
        "decision_rule": "Rådgivande; besluten fattas i varje kommun.",
        "public_description": (
            "Kommunstyrelsernas ordförande i norrortskommunerna träffas för att samordna frågor "
            "om trafik, bostäder och näringsliv och tala med en röst gentemot regionen."
        ),
        "participants": [
            TABY,
            "0162",
            "0163",
            "0114",
            "0115",
            "0187",
            "0117",
            "0188",
        ],
    },
    {
        "key": "demo-taby-skolskjuts",
        "name": "Gemensam upphandling av skolskjuts",
        "short_name": "Skolskjuts",
        "form": "agreement",
        "areas": ["upphandling", "utbildning"],
        "motives": ["cost", "competence"],
        "capacity_type": "operations",
        "status": "active",
        "start_date": "2019-08-01",
        "end_date": "2026-07-31",
        "notice_months": 6,
        "host": TABY,
        "decision_rule": "Avtal enligt 9 kap. 37 § kommunallagen; Täby upphandlar åt alla tre.",
        "public_description": (
            "Täby upphandlar och följer upp skolskjutsavtalet för sig själv, Vallentuna och "
            "Vaxholm. Avtalet löper ut sommaren 2026 och en ny upphandling behövs."
        ),
        "participants": [TABY, "0115", "0187"],
    },
]

# --- People (all invented) ------------------------------------------------------------------

# name: (organisation code, kind, party, title)
PEOPLE = {
    "Maria Berg": (TABY, "politician", "M", "Kommunstyrelsens ordförande"),
    "Johan Ek": (TABY, "politician", "S", "Oppositionsråd"),
    "Lars Holm": (TABY, "politician", "L", "Tekniska nämndens ordförande"),
    "Eva Lund": (TABY, "politician", "M", "Ordförande i SRMH"),
    "Per Sten": (TABY, "politician", "C", "Ledamot i SRMH"),
    "Lena Forsberg": (TABY, "politician", "M", "Kommunfullmäktiges ledamot"),
    "Ahmed Karimi": (TABY, "politician", "S", "Kommunfullmäktiges ledamot"),
    "Anna Wikström": (TABY, "politician", "KD", "Socialnämndens ordförande"),
    "Karl Öhman": (TABY, "politician", "L", "Kommunfullmäktiges ledamot"),
    "Ingrid Falk": (TABY, "politician", "S", "Kommunfullmäktiges ledamot"),
    "Karin Sjöberg": (TABY, "official", "", "Kommundirektör"),
    "Erik Nyman": (TABY, "official", "", "Ekonomichef"),
    "Helena Åberg": (TABY, "official", "", "Säkerhetschef"),
    "Tomas Lind": (TABY, "official", "", "Miljöchef, SRMH"),
    "Jenny Olofsson": (TABY, "official", "", "IT-chef"),
    "Magnus Berglund": (TABY, "official", "", "Teknisk direktör"),
    "Sara Holmgren": (TABY, "official", "", "HR-direktör"),
    "Linda Kvist": (TABY, "official", "", "Upphandlingschef"),
    "Camilla Strömberg": (TABY, "official", "", "Socialdirektör"),
    "Ulrika Dahl": ("0187", "politician", "M", "Kommunstyrelsens ordförande i Vaxholm"),
    "Björn Ahl": ("0187", "politician", "S", "Ledamot i SRMH"),
    "Fredrik Lager": ("0162", "politician", "M", "Kommunstyrelsens ordförande i Danderyd"),
    "Oskar Hedlund": ("0162", "official", "", "IT-chef i Danderyd"),
    "Pia Lindgren": ("0115", "politician", "KD", "Kommunstyrelsens ordförande i Vallentuna"),
    "Henrik Sand": ("0117", "politician", "M", "Kommunstyrelsens ordförande i Österåker"),
    "Anders Klint": ("0180", "politician", "S", "Ordförande i direktionen för SSBF"),
    "Gunilla Ryd": ("0188", "politician", "C", "Kommunalråd i Norrtälje"),
    "Nils Brandt": ("0163", "politician", "M", "Kommunstyrelsens ordförande i Sollentuna"),
    "Marie Ljung": ("01", "politician", "M", "Regionråd"),
    "Lotta Engström": ("FK", "official", "", "Försäkringskassans representant"),
    "Daniel Roos": ("AF", "official", "", "Arbetsförmedlingens representant"),
    "Rolf Almgren": ("0186", "politician", "M", "Ledamot i Käppalaförbundets styrelse"),
}

# --- Bodies and seats -----------------------------------------------------------------------

TERM = ("2023-01-01", "2026-12-31")

# arrangement key: [(name, kind, powers, seat_count, meeting_frequency, [(person, role)])]
# The appointing organisation of a seat is the person's organisation.
BODIES = {
    "ssbf": [
        (
            "Direktionen",
            "federation_board",
            "decides",
            10,
            "Sex gånger per år",
            [
                ("Anders Klint", "chair"),
                ("Fredrik Lager", "vice_chair"),
                ("Maria Berg", "member"),
                ("Johan Ek", "substitute"),
                ("Ulrika Dahl", "member"),
            ],
        )
    ],
    "kappala": [
        (
            "Förbundsfullmäktige",
            "federation_assembly",
            "decides",
            22,
            "Två gånger per år",
            [("Lars Holm", "member"), ("Ingrid Falk", "member"), ("Rolf Almgren", "member")],
        ),
        (
            "Förbundsstyrelsen",
            "federation_board",
            "decides",
            11,
            "Åtta gånger per år",
            [("Rolf Almgren", "chair"), ("Lars Holm", "member")],
        ),
    ],
    "srmh": [
        (
            "Södra Roslagens miljö- och hälsoskyddsnämnd",
            "joint_committee",
            "decides",
            6,
            "Tio gånger per år",
            [
                ("Eva Lund", "chair"),
                ("Ulrika Dahl", "vice_chair"),
                ("Per Sten", "member"),
                ("Lena Forsberg", "member"),
                ("Ahmed Karimi", "member"),
                ("Björn Ahl", "member"),
            ],
        )
    ],
    "taby_alkohol": [
        (
            "Avtalsgrupp för tillsyn",
            "officials_group",
            "advises",
            None,
            "Två gånger per år",
            [("Tomas Lind", "official")],
        )
    ],
    "demo-taby-lon": [
        (
            "Gemensamma lönenämnden",
            "joint_committee",
            "decides",
            3,
            "Fyra gånger per år",
            [
                ("Maria Berg", "chair"),
                ("Fredrik Lager", "vice_chair"),
                ("Pia Lindgren", "member"),
                ("Karl Öhman", "substitute"),
            ],
        )
    ],
    "demo-taby-it": [
        (
            "Styrgrupp för IT-samverkan",
            "officials_group",
            "prepares",
            4,
            "Varje månad",
            [("Jenny Olofsson", "official"), ("Oskar Hedlund", "official")],
        )
    ],
    "demo-taby-ofn": [
        (
            "Överförmyndarnämnden i Södra Roslagen",
            "joint_committee",
            "decides",
            4,
            "Sex gånger per år",
            [
                ("Henrik Sand", "chair"),
                ("Karl Öhman", "member"),
                ("Björn Ahl", "member"),
                ("Fredrik Lager", "member"),
            ],
        )
    ],
    "demo-taby-finsam": [
        (
            "Styrelsen",  # rules.deciding_body("coordination_federation")
            "federation_board",
            "decides",
            8,
            "Fem gånger per år",
            [
                ("Marie Ljung", "chair"),
                ("Anna Wikström", "member"),
                ("Pia Lindgren", "member"),
                ("Lotta Engström", "member"),
                ("Daniel Roos", "member"),
            ],
        )
    ],
    "demo-taby-bolag": [
        (
            "Styrelsen för Roslagens Återvinning AB",
            "company_board",
            "decides",
            7,
            "Sex gånger per år",
            [
                ("Lars Holm", "chair"),
                ("Henrik Sand", "vice_chair"),
                ("Johan Ek", "member"),
                ("Pia Lindgren", "member"),
            ],
        )
    ],
    "demo-taby-natverk": [
        (
            "Politisk styrgrupp Norrort",
            "steering_group",
            "advises",
            8,
            "Fyra gånger per år",
            [
                ("Pia Lindgren", "chair"),
                ("Maria Berg", "member"),
                ("Nils Brandt", "member"),
                ("Gunilla Ryd", "member"),
            ],
        ),
        (
            "Kommundirektörsgruppen",
            "officials_group",
            "prepares",
            8,
            "Varje månad",
            [("Karin Sjöberg", "official")],
        ),
    ],
    "demo-taby-skolskjuts": [
        (
            "Avtalsgrupp för skolskjuts",
            "officials_group",
            "advises",
            3,
            "Varje kvartal",
            [("Linda Kvist", "official")],
        )
    ],
}

# --- Täby's participations: owners and costs ------------------------------------------------

COST_YEARS = list(range(2019, 2026))  # outcome years; 2026 has budget and forecast
# Budget as a share of the outcome, per outcome year (a typical pattern of over- and underruns).
BUDGET_FACTORS = [0.99, 1.01, 0.98, 0.97, 0.98, 0.97, 0.99]

# arrangement key: dict(political_body, political_owner, admin_unit, admin_owner, cost_share,
#   cost_share_key, outcomes (tkr 2019–2025), budget_2026, forecast_2026, note)
TABY_PARTICIPATIONS = {
    "ssbf": {
        "political_body": "Kommunstyrelsen",
        "political_owner": "Maria Berg",
        "admin_unit": "Kommunledningskontoret, säkerhet och beredskap",
        "admin_owner": "Helena Åberg",
        "cost_share": 5.8,
        "cost_share_key": "Invånarantal",
        "outcomes": [36800, 37900, 39300, 41200, 43100, 45950, 48100],
        "budget_2026": 50300,
        "forecast_2026": 50900,
    },
    "kappala": {
        "political_body": "Tekniska nämnden",
        "political_owner": "Lars Holm",
        "admin_unit": "Stadsbyggnadskontoret, VA-enheten",
        "admin_owner": "Magnus Berglund",
        "cost_share": 11.5,
        "cost_share_key": "Anslutna personekvivalenter",
        "outcomes": [58200, 59600, 61100, 63900, 68400, 72800, 76500],
        "budget_2026": 80100,
        "forecast_2026": 81400,
        "note": "Kostnaden tas ut via VA-taxan.",
    },
    "srmh": {
        "political_body": "Kommunstyrelsen",
        "political_owner": "Eva Lund",
        "admin_unit": "Miljö- och hälsoskyddskontoret",
        "admin_owner": "Tomas Lind",
        "cost_share": 72,
        "cost_share_key": "Invånarantal",
        "outcomes": [8700, 9000, 9350, 9800, 10150, 10600, 11000],
        "budget_2026": 11400,
        "forecast_2026": 11300,
    },
    "taby_alkohol": {
        "political_body": "Miljö- och hälsoskyddsnämnden",
        "political_owner": "Eva Lund",
        "admin_unit": "Miljö- och hälsoskyddskontoret",
        "admin_owner": "Tomas Lind",
        "cost_share": None,
        "cost_share_key": "Timpris enligt avtal",
        "outcomes": [-950, -1010, -1090, -1200, -1250, -1310, -1370],
        "budget_2026": -1400,
        "forecast_2026": -1420,
        "note": "Täby utför, övriga köper. Negativt belopp = intäkt.",
    },
    "taby_livsmedel": {
        "political_body": "Miljö- och hälsoskyddsnämnden",
        "political_owner": "Eva Lund",
        "admin_unit": "Miljö- och hälsoskyddskontoret",
        "admin_owner": "Tomas Lind",
        "cost_share": None,
        "cost_share_key": "Timpris enligt avtal",
        "outcomes": [-480, -520, -560, -600, -650, -700, -720],
        "budget_2026": -740,
        "forecast_2026": -740,
        "note": "Täby utför kontrollen åt Norrtälje. Negativt belopp = intäkt.",
    },
    "demo-taby-lon": {
        "political_body": "Kommunstyrelsen",
        "political_owner": "Maria Berg",
        "admin_unit": "HR-avdelningen, lönecenter",
        "admin_owner": "Sara Holmgren",
        "cost_share": 45,
        "cost_share_key": "Antal lönespecifikationer",
        "outcomes": [6200, 6350, 6500, 6650, 6900, 7150, 7300],
        "budget_2026": 7450,
        "forecast_2026": 7500,
    },
    "demo-taby-it": {
        "political_body": "Kommunstyrelsen",
        "political_owner": "Maria Berg",
        "admin_unit": "Kommunledningskontoret, IT-avdelningen",
        "admin_owner": "Jenny Olofsson",
        "cost_share": None,
        "cost_share_key": "Pris per användare enligt avtal",
        "outcomes": [11800, 12300, 12900, 13600, 14800, 15900, 16700],
        "budget_2026": 17400,
        "forecast_2026": 17900,
    },
    "demo-taby-ofn": {
        "political_body": "Kommunstyrelsen",
        "political_owner": "Karl Öhman",
        "admin_unit": "Kommunledningskontoret, juridik",
        "admin_owner": "Karin Sjöberg",
        "cost_share": 36,
        "cost_share_key": "Invånarantal",
        "outcomes": [3100, 3250, 3300, 3450, 3600, 3700, 3850],
        "budget_2026": 3950,
        "forecast_2026": 3900,
    },
    "demo-taby-finsam": {
        "political_body": "Socialnämnden",
        "political_owner": "Anna Wikström",
        "admin_unit": "Socialkontoret",
        "admin_owner": "Camilla Strömberg",
        "cost_share": 8,
        "cost_share_key": "Staten 50 %, regionen 25 %, kommunerna 25 % efter invånarantal",
        "outcomes": [1150, 1150, 1180, 1200, 1200, 1250, 1250],
        "budget_2026": 1280,
        "forecast_2026": 1280,
    },
    "demo-taby-bolag": {
        "political_body": "Tekniska nämnden",
        "political_owner": "Lars Holm",
        "admin_unit": "Stadsbyggnadskontoret, avfallsenheten",
        "admin_owner": "Magnus Berglund",
        "cost_share": 35,
        "cost_share_key": "Ägarandel",
        "outcomes": [24500, 25100, 26300, 27900, 29600, 31800, 33500],
        "budget_2026": 35200,
        "forecast_2026": 35900,
        "note": "Finansieras via renhållningstaxan.",
    },
    "demo-taby-natverk": {
        "political_body": "Kommunstyrelsen",
        "political_owner": "Maria Berg",
        "admin_unit": "Kommunledningskontoret",
        "admin_owner": "Karin Sjöberg",
        "cost_share": 12.5,
        "cost_share_key": "Lika fördelning",
        "outcomes": [150, 150, 160, 160, 170, 170, 180],
        "budget_2026": 180,
        "forecast_2026": 180,
    },
    "demo-taby-skolskjuts": {
        "political_body": "Barn- och grundskolenämnden",
        "political_owner": "Karl Öhman",
        "admin_unit": "Kommunledningskontoret, upphandlingsenheten",
        "admin_owner": "Linda Kvist",
        "cost_share": 60,
        "cost_share_key": "Antal elever med skolskjuts",
        "outcomes": [3900, 8400, 8700, 9100, 9600, 10100, 10600],
        "budget_2026": 6300,
        "forecast_2026": 6400,
        "note": "Avtalet löper ut 2026-07-31; 2026 avser sju månader.",
    },
}

# --- Täby's own goals -----------------------------------------------------------------------

# (level, title, parent title, public description)
GOALS = [
    (
        "vision",
        "Vision 2030: Täby – en trygg och hållbar kommun där människor växer",
        None,
        "Kommunfullmäktiges vision för Täby.",
    ),
    (
        "focus_area",
        "Trygg och hållbar kommun",
        "Vision 2030: Täby – en trygg och hållbar kommun där människor växer",
        "",
    ),
    (
        "focus_area",
        "Livskvalitet för alla",
        "Vision 2030: Täby – en trygg och hållbar kommun där människor växer",
        "",
    ),
    (
        "focus_area",
        "Effektiv och tillgänglig verksamhet",
        "Vision 2030: Täby – en trygg och hållbar kommun där människor växer",
        "",
    ),
    ("goal", "Invånarna ska känna sig trygga i hela kommunen", "Trygg och hållbar kommun", ""),
    ("goal", "Utsläppen till luft och vatten ska minska", "Trygg och hållbar kommun", ""),
    ("goal", "Fler ska gå från försörjningsstöd till arbete", "Livskvalitet för alla", ""),
    ("goal", "Service ska finnas nära invånarna", "Livskvalitet för alla", ""),
    (
        "goal",
        "Kostnaden per invånare ska inte öka snabbare än index",
        "Effektiv och tillgänglig verksamhet",
        "Nettokostnaden per invånare följs upp i årsredovisningen.",
    ),
    ("goal", "Rättssäker och effektiv handläggning", "Effektiv och tillgänglig verksamhet", ""),
]

# (arrangement key, goal title, strength, how it contributes)
CONTRIBUTIONS = [
    (
        "ssbf",
        "Invånarna ska känna sig trygga i hela kommunen",
        "strong",
        "Räddningstjänst dygnet runt med korta insatstider.",
    ),
    (
        "kappala",
        "Utsläppen till luft och vatten ska minska",
        "strong",
        "Avloppsvattnet renas i Käppalaverket.",
    ),
    (
        "srmh",
        "Utsläppen till luft och vatten ska minska",
        "some",
        "Tillsyn av miljöfarlig verksamhet.",
    ),
    (
        "srmh",
        "Rättssäker och effektiv handläggning",
        "some",
        "En större förvaltning ger specialistkompetens.",
    ),
    (
        "taby_alkohol",
        "Rättssäker och effektiv handläggning",
        "some",
        "Samlad tillsyn med erfarna handläggare.",
    ),
    (
        "taby_livsmedel",
        "Kostnaden per invånare ska inte öka snabbare än index",
        "indirect",
        "Intäkterna täcker en del av förvaltningens fasta kostnader.",
    ),
    (
        "demo-taby-lon",
        "Kostnaden per invånare ska inte öka snabbare än index",
        "strong",
        "Lägre kostnad per lönespecifikation.",
    ),
    (
        "demo-taby-it",
        "Effektiv och tillgänglig verksamhet",
        "some",
        "Stabil drift av verksamhetssystemen.",
    ),
    (
        "demo-taby-ofn",
        "Rättssäker och effektiv handläggning",
        "strong",
        "Specialiserad granskning av ställföreträdare.",
    ),
    (
        "demo-taby-finsam",
        "Fler ska gå från försörjningsstöd till arbete",
        "strong",
        "Samordnade insatser med Försäkringskassan och Arbetsförmedlingen.",
    ),
    (
        "demo-taby-bolag",
        "Service ska finnas nära invånarna",
        "some",
        "Återvinningscentraler och hämtning vid fastigheten.",
    ),
    (
        "demo-taby-bolag",
        "Utsläppen till luft och vatten ska minska",
        "some",
        "Mer material går till återvinning.",
    ),
    (
        "demo-taby-natverk",
        "Trygg och hållbar kommun",
        "indirect",
        "Gemensam röst om trafik och bostäder i regionen.",
    ),
    (
        "demo-taby-skolskjuts",
        "Kostnaden per invånare ska inte öka snabbare än index",
        "some",
        "Större volym ger bättre priser.",
    ),
]

# --- Decisions (all marked as example) ------------------------------------------------------

# (arrangement key, organisation code or None for the joint body, deciding body, body name or None,
#  date, reference, diary number, title, kind, impacts, public summary, published)
DECISIONS = [
    (
        "demo-taby-lon",
        TABY,
        "Kommunfullmäktige",
        None,
        "2016-06-13",
        "§ 72",
        "KS 2016/0211",
        "Inträde i gemensam lönenämnd med Danderyd och Vallentuna",
        "entry",
        ("cost", "organisation"),
        "Fullmäktige beslutade att bilda en gemensam lönenämnd med Täby som värdkommun.",
        True,
    ),
    (
        "demo-taby-it",
        TABY,
        "Kommunstyrelsen",
        None,
        "2019-10-21",
        "§ 145",
        "KS 2019/0388",
        "Avtal med Danderyd om IT-drift",
        "entry",
        ("cost", "service"),
        "Kommunstyrelsen godkände avtalet om IT-drift från 2020.",
        True,
    ),
    (
        "demo-taby-it",
        TABY,
        "Kommunstyrelsen",
        None,
        "2025-03-17",
        "§ 41",
        "KS 2025/0102",
        "Uppdrag att utreda alternativ till IT-driften",
        "other",
        ("cost",),
        "Kommundirektören fick i uppdrag att jämföra avtalet med egen drift och upphandling.",
        True,
    ),
    (
        "demo-taby-ofn",
        TABY,
        "Kommunfullmäktige",
        None,
        "2014-09-22",
        "§ 98",
        "KS 2014/0290",
        "Inträde i gemensam överförmyndarnämnd",
        "entry",
        ("organisation",),
        "Täby går in i en gemensam överförmyndarnämnd med Österåker som värdkommun.",
        True,
    ),
    (
        "demo-taby-finsam",
        TABY,
        "Kommunfullmäktige",
        None,
        "2011-11-14",
        "§ 121",
        "KS 2011/0345",
        "Medlemskap i Samordningsförbundet Södra Roslagen",
        "entry",
        ("cost",),
        "Täby blir medlem i samordningsförbundet från 2012.",
        True,
    ),
    (
        "demo-taby-bolag",
        TABY,
        "Kommunfullmäktige",
        None,
        "2013-06-17",
        "§ 66",
        "KS 2013/0170",
        "Delägarskap i Roslagens Återvinning AB",
        "entry",
        ("cost", "organisation"),
        "Täby förvärvar 35 procent av aktierna i det gemensamma avfallsbolaget.",
        True,
    ),
    (
        "demo-taby-bolag",
        None,
        "Styrelsen",
        "Styrelsen för Roslagens Återvinning AB",
        "2025-09-25",
        "§ 12",
        "",
        "Förslag om ny renhållningstaxa 2026 och stängning av Täby återvinningscentral",
        "service_change",
        ("tariff", "service", "cost"),
        "Styrelsen föreslår ägarna en höjd taxa med 7 procent och att återvinningscentralen i Täby stängs 2027.",
        True,
    ),
    (
        "demo-taby-bolag",
        TABY,
        "Kommunfullmäktige",
        None,
        "2025-11-17",
        "§ 133",
        "KS 2025/0371",
        "Renhållningstaxa 2026",
        "tariff",
        ("tariff", "cost"),
        "Fullmäktige fastställde renhållningstaxan för 2026 men avvisade stängningen av återvinningscentralen.",
        True,
    ),
    (
        "demo-taby-natverk",
        TABY,
        "Kommunstyrelsen",
        None,
        "2015-11-30",
        "§ 188",
        "KS 2015/0402",
        "Deltagande i politisk samverkansgrupp Norrort",
        "entry",
        (),
        "Kommunstyrelsens ordförande representerar Täby i samverkansgruppen.",
        True,
    ),
    (
        "demo-taby-skolskjuts",
        TABY,
        "Kommunfullmäktige",
        None,
        "2019-03-18",
        "§ 31",
        "KS 2019/0077",
        "Avtal om gemensam upphandling av skolskjuts",
        "entry",
        ("cost", "service"),
        "Täby upphandlar skolskjuts åt Täby, Vallentuna och Vaxholm.",
        True,
    ),
    (
        "ssbf",
        None,
        "Direktionen",
        "Direktionen",
        "2025-06-12",
        "§ 34",
        "",
        "Budget 2026 med höjda medlemsbidrag",
        "budget",
        ("cost",),
        "Direktionen beslutade om budget för 2026 med 4,6 procent högre medlemsbidrag.",
        True,
    ),
    (
        "kappala",
        None,
        "Förbundsfullmäktige",
        "Förbundsfullmäktige",
        "2024-11-20",
        "§ 18",
        "",
        "Höjd avgift för avloppsrening 2025",
        "tariff",
        ("tariff", "cost"),
        "Medlemsavgiften höjs med 6 procent för att finansiera utbyggnaden av Käppalaverket.",
        True,
    ),
    (
        "srmh",
        TABY,
        "Kommunfullmäktige",
        None,
        "2024-12-16",
        "§ 150",
        "KS 2024/0412",
        "Ny taxa för miljö- och hälsoskydd 2025",
        "tariff",
        ("tariff",),
        "Fullmäktige i Täby antog en ny taxa för tillsyn. Vaxholm fattade samma beslut.",
        True,
    ),
    (
        "taby_alkohol",
        TABY,
        "Miljö- och hälsoskyddsnämnden",
        None,
        "2018-05-23",
        "§ 45",
        "MHN 2018/0120",
        "Reviderat samverkansavtal om tillsyn",
        "change",
        ("organisation",),
        "Nämnden godkände det reviderade avtalet om tillsyn åt Norrtälje, Vallentuna och Lidingö.",
        False,
    ),
]

# Appointments: one decision per arrangement where Täby appoints political seats (KF 2022-12-12).
APPOINTMENT_DATE = "2022-12-12"
APPOINTMENT_FIRST_PARAGRAPH = 160

# --- Goal conflicts -------------------------------------------------------------------------

# (goal title, arrangement key, decision title or None, identified on, description, handling, status)
GOAL_CONFLICTS = [
    (
        "Kostnaden per invånare ska inte öka snabbare än index",
        "ssbf",
        "Budget 2026 med höjda medlemsbidrag",
        "2025-06-20",
        "Medlemsbidraget till räddningstjänsten har ökat med 30 procent sedan 2019, mer än dubbelt så mycket som index.",
        "Kommunstyrelsens ordförande tar upp kostnadsutvecklingen i direktionen och med övriga ägare inför budget 2027.",
        "in_progress",
    ),
    (
        "Service ska finnas nära invånarna",
        "demo-taby-bolag",
        "Förslag om ny renhållningstaxa 2026 och stängning av Täby återvinningscentral",
        "2025-10-01",
        "Bolagets förslag att stänga återvinningscentralen i Täby går emot målet om service nära invånarna.",
        "Fullmäktige avvisade stängningen. Ägarsamrådet ska ta fram ett nytt förslag om återvinningscentralernas placering.",
        "open",
    ),
]

# --- Evaluations ----------------------------------------------------------------------------

# (arrangement key, organisation code or None (joint), date, evaluator, attainment, cost assessment,
#  collaboration, recommendation, next evaluation, public summary, published)
EVALUATIONS = [
    (
        "ssbf",
        TABY,
        "2024-05-20",
        "Kommunledningskontoret",
        "partly",
        "Kostnaden ökar snabbare än index.",
        "Bra dialog i direktionen men små medlemmar har svårt att påverka.",
        "continue",
        "2026-05-31",
        "Räddningstjänsten fungerar väl men kostnaderna ökar.",
        True,
    ),
    (
        "srmh",
        None,
        "2024-11-05",
        "Täby och Vaxholm gemensamt",
        "met",
        "Kostnaden per invånare är lägre än i jämförbara kommuner.",
        "Väl fungerande samverkan mellan värdkommun och Vaxholm.",
        "develop",
        "2026-11-30",
        "Nämnden når sina mål och samverkan kan utvecklas.",
        True,
    ),
    (
        "demo-taby-lon",
        TABY,
        "2022-10-01",
        "HR-avdelningen",
        "met",
        "Kostnad per lönespecifikation har minskat med 8 procent.",
        "Samarbetet fungerar väl.",
        "continue",
        "2024-10-01",
        "Lönecentret levererar med hög kvalitet.",
        True,
    ),
    (
        "demo-taby-it",
        TABY,
        "2025-02-10",
        "Kommunledningskontoret",
        "partly",
        "Priset har ökat med 42 procent sedan 2019.",
        "Täby har svårt att påverka prioriteringarna.",
        "investigate",
        "2025-12-31",
        "Driften är stabil men dyr; alternativ utreds.",
        True,
    ),
    (
        "demo-taby-bolag",
        TABY,
        "2024-09-30",
        "Stadsbyggnadskontoret",
        "partly",
        "Taxan har ökat snabbare än i jämförbara kommuner.",
        "Ägarsamrådet fungerar men Täby som största ägare får för lite gehör.",
        "renegotiate",
        "2026-09-30",
        "Bolaget sköter insamlingen väl men ägardirektiven behöver ses över.",
        False,
    ),
    (
        "demo-taby-finsam",
        None,
        "2023-12-01",
        "Förbundets kansli",
        "met",
        "Insatserna ligger inom budget.",
        "Alla parter deltar aktivt.",
        "continue",
        "2025-12-01",
        "Fler deltagare har gått till arbete eller studier.",
        True,
    ),
]

# --- Alternatives ---------------------------------------------------------------------------

# (arrangement key, kind, description, estimated annual cost (kr), why not chosen, assessed on,
#  published). Assessments behind a decision are published; one still under investigation is not.
ALTERNATIVES = [
    (
        "ssbf",
        "own_operation",
        "Egen räddningstjänst i Täby.",
        52_000_000,
        "Sårbart och dyrare; svårt att rekrytera specialister.",
        "2008-05-01",
        True,
    ),
    (
        "demo-taby-it",
        "own_operation",
        "Egen IT-drift med egen driftorganisation.",
        15_500_000,
        "Kräver nyrekrytering och egen serverhall.",
        "2019-09-01",
        True,
    ),
    (
        "demo-taby-it",
        "procurement",
        "Upphandla IT-drift av en extern leverantör.",
        14_200_000,
        "Utreds 2025.",
        "2025-03-17",
        False,
    ),
    (
        "demo-taby-lon",
        "procurement",
        "Köpa lönetjänster av en extern leverantör.",
        7_900_000,
        "Högre kostnad och sämre kontroll över personuppgifterna.",
        "2016-03-01",
        True,
    ),
    (
        "demo-taby-bolag",
        "own_operation",
        "Sköta avfallshanteringen i egen regi.",
        36_000_000,
        "Förlorade stordriftsfördelar.",
        "2013-03-01",
        True,
    ),
]

# --- Strategic review -----------------------------------------------------------------------

REVIEW = {
    "date": "2025-04-15",
    "body": "Kommunstyrelsen",
    "title": "Strategisk genomgång av Täby kommuns samverkan 2025",
    "reference": "KS 2025/0150, § 58",
    # Closed the day it was held: its assignments are followed up on the "Att göra" page.
    "closed": True,
    "public_summary": (
        "Kommunstyrelsen har gått igenom alla samverkansformer. IT-driften och avfallsbolaget "
        "ska utredas respektive omförhandlas; övriga fortsätter."
    ),
}

# arrangement key: (direction, priority, follow-up, decision, assignment, due date)
REVIEW_ITEMS = {
    "ssbf": (
        "maintain",
        "high",
        "deviation",
        "Fortsatt medlemskap.",
        "Driv kostnadsfrågan i direktionen.",
        "2026-03-31",
    ),
    "kappala": ("maintain", "medium", "on_track", "Fortsatt medlemskap.", "", None),
    "srmh": (
        "develop",
        "medium",
        "on_track",
        "Utveckla samverkan.",
        "Utred om fler kommuner kan anslutas.",
        "2027-06-30",
    ),
    "taby_alkohol": ("maintain", "low", "on_track", "Fortsätt sälja tillsyn.", "", None),
    "taby_livsmedel": ("maintain", "low", "on_track", "Fortsätt sälja kontroll.", "", None),
    "demo-taby-lon": (
        "maintain",
        "low",
        "overdue",
        "Fortsatt samverkan.",
        "Genomför den försenade uppföljningen.",
        "2025-10-31",
    ),
    "demo-taby-it": (
        "investigate",
        "high",
        "deviation",
        "Utred alternativ.",
        "Jämför egen drift och upphandling.",
        "2025-12-31",
    ),
    "demo-taby-ofn": ("maintain", "medium", "on_track", "Fortsatt samverkan.", "", None),
    "demo-taby-finsam": ("maintain", "low", "on_track", "Fortsatt medlemskap.", "", None),
    "demo-taby-bolag": (
        "renegotiate",
        "high",
        "deviation",
        "Omförhandla ägardirektiven.",
        "Ta fram förslag till nya ägardirektiv.",
        "2027-03-31",
    ),
    "demo-taby-natverk": ("maintain", "low", "not_started", "Fortsatt deltagande.", "", None),
    "demo-taby-skolskjuts": (
        "renegotiate",
        "high",
        "on_track",
        "Ny upphandling före avtalets slut.",
        "Starta upphandlingen.",
        "2025-12-31",
    ),
}

# Demo users: username, superuser, role in Täby (or None), first name, last name.
USERS = [
    ("admin", True, None, "Registeradministratör", ""),
    ("taby-redaktor", False, "editor", "Redaktör", "Täby"),
    # Täby's organisation administrator: an editor who also manages Täby's users (issue 22).
    ("taby-admin", False, "admin", "Administratör", "Täby"),
    ("taby-lasare", False, "reader", "Läsare", "Täby"),
    # A representative: Täby's member of SSBF's direktion, whose start page shows her assignments.
    ("taby-ledamot", False, "reader", "Maria", "Berg"),
]
# The demo user linked to a representative (Person.user): "Mina uppdrag" on the start page.
REPRESENTATIVE = ("taby-ledamot", "Maria Berg")

# --- Our voice in the joint bodies: meetings, agendas, Täby's positions -------------------------
# Days are counted from the day the demo is loaded (rules.today()), so that the demo always has
# coming meetings and one held a fortnight ago whose outcome became the body's decision.
# (arrangement key, body, uid, days from today, hour, place, status, papers, [items]);
# an item: (number, title, service area slug, position or None). A position's ``agreed_days``
# are days before the meeting; ``outcome`` and ``decision`` are recorded after a held meeting
# (services.meetings.position_outcome_record: the decision is registered in the same step).
MEETINGS = [
    (
        "srmh",
        "Södra Roslagens miljö- och hälsoskyddsnämnd",
        "demo-srmh-1",
        -14,
        18,
        "Täby kommunhus, sal Tibble",
        "held",
        "https://www.srmh.se/handlingar",
        [
            (
                "§ 84",
                "Taxa för prövning och tillsyn enligt miljöbalken 2027",
                "miljo_bygg",
                {
                    "stance": "amend",
                    "text": "Höj timavgiften med högst 3 procent, inte med 6 procent som "
                    "förvaltningen föreslår.",
                    "agreed_in": "ksau",
                    "agreed_days": 7,
                    "agreed_by": "Kommunstyrelsens arbetsutskott",
                    "binding": True,
                    "outcome": "as_wanted",
                    "outcome_note": "Nämnden biföll Täbys ändringsyrkande med Vaxholms stöd.",
                    "decision": {
                        "kind": "tariff",
                        "public_summary": "Timavgiften för tillsyn enligt miljöbalken höjs med "
                        "3 procent från den 1 januari.",
                        "is_published": True,
                        "is_example": True,
                    },
                    "public_summary": "Täbys ledamöter ville att timavgiften skulle höjas mindre "
                    "än förvaltningen föreslog, med högst 3 procent i stället för 6.",
                    "is_published": True,
                },
            ),
            (
                "§ 85",
                "Tillsynsplan 2027",
                "miljo_bygg",
                {
                    "stance": "support",
                    "text": "Bifall.",
                    "agreed_in": "majority",
                    "agreed_days": 6,
                    "agreed_by": "Majoritetens gruppledare",
                    "binding": True,
                    "outcome": "postponed",
                    "outcome_note": "Ärendet bordlades till nästa sammanträde.",
                },
            ),
        ],
    ),
    (
        "ssbf",
        "Direktionen",
        "demo-ssbf-1",
        9,
        9,
        "Storstockholms brandförsvar, Johanneshov",
        "planned",
        "https://www.storstockholm.brand.se/handlingar",
        [
            (
                "5",
                "Verksamhetsplan och budget 2027–2029",
                "raddningstjanst",
                {
                    "stance": "support",
                    "text": "Bifall till förbundets förslag; medlemsavgiften räknas upp med "
                    "2,5 procent.",
                    "agreed_in": "ks",
                    "agreed_days": 20,
                    "agreed_by": "",
                    "binding": True,
                },
            ),
            (
                "6",
                "Lokalisering av räddningsstationen i Täby",
                "raddningstjanst",
                {
                    "stance": "amend",
                    "text": "Stationen ska ligga kvar i Täby; utredningen ska redovisa "
                    "insatstiderna till Täby centrum och Arninge.",
                    "agreed_in": "with_opposition",
                    "agreed_days": 12,
                    "agreed_by": "Kommunstyrelsens presidium",
                    "binding": True,
                },
            ),
            ("7", "Information om larmstatistik", "raddningstjanst", None),
        ],
    ),
    (
        "kappala",
        "Förbundsstyrelsen",
        "demo-kappala-1",
        23,
        13,
        "Käppalaverket, Lidingö",
        "planned",
        "https://www.kappala.se/handlingar",
        [
            (
                "4",
                "Investeringsplan 2027–2031",
                "vatten_avlopp",
                {
                    "stance": "support",
                    "text": "Bifall; investeringar i reningskapacitet går före nya anslutningar.",
                    "agreed_in": "with_opposition",
                    "agreed_days": 10,
                    "agreed_by": "Tekniska nämndens presidium",
                    "binding": True,
                },
            ),
            (
                "5",
                "Taxa för avloppsrening 2027",
                "vatten_avlopp",
                {
                    "stance": "oppose",
                    "text": "Avslag; en höjning med 9 procent är inte motiverad av förbundets "
                    "resultat.",
                    "agreed_in": "ksau",
                    "agreed_days": 8,
                    "agreed_by": "Kommunstyrelsens arbetsutskott",
                    "binding": False,
                },
            ),
        ],
    ),
    # The same question in the federation's assembly, where Täby's delegate (by her own
    # judgement) supports what the board members were to oppose: the one-message page flags it.
    (
        "kappala",
        "Förbundsfullmäktige",
        "demo-kappala-2",
        44,
        18,
        "Käppalaverket, Lidingö",
        "planned",
        "https://www.kappala.se/handlingar",
        [
            (
                "3",
                "Taxa för avloppsrening 2027",
                "vatten_avlopp",
                {
                    "stance": "support",
                    "text": "Bifall till styrelsens förslag.",
                    "agreed_in": "own_judgement",
                    "agreed_days": 2,
                    "agreed_by": "",
                    "binding": False,
                },
            ),
        ],
    ),
]
