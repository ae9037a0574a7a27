"""The compiler's notes of the shipped arrangements (arrangements.csv, column ``notes``) in
Swedish. The CSV files are the shared facts and stay as they are (a test compares them with
../shared/data); where a note there is written in English, the demo loader uses the Swedish text
here instead, keyed by the arrangement's ``id``. A note not listed is used as it is."""

NOTES_SV = {
    "ssbf": (
        "Bildades 2009 av Stockholms brandförsvar och Södra Roslagens brandförsvarsförbund; "
        "direktion sedan 2013-01-01."
    ),
    "rmb": "Enligt ttela.se planeras en sammanslagning med Norra Älvsborgs räddningstjänstförbund.",
    "vrtj": "Förbundsordningen gäller från 2020-10-01; direktion med 6 ledamöter och 6 ersättare.",
    "mrf": (
        "Förbundsordningen antagen av KF i Sundsvall 2014-09-29, Timrå 2014-10-17 och Ånge "
        "2014-10-27."
    ),
    "raddsam_fh": (
        "Avtal om operativ samverkan mellan räddningstjänsterna; enligt Helsingborgs "
        "årsredovisning omfattas alla 11 kommuner i Familjen Helsingborg sedan Perstorp anslöt "
        "(2015)."
    ),
    "nerikes": (
        "Medlemmar enligt förbundsordningen (antagen 1997-06-09, ändrad t.o.m. 2006-10-16). "
        "Ludvika 2017: Ljusnarsberg flyttar sin räddningstjänst till Nerikes Brandkår."
    ),
    "rtmd": (
        "Bytte namn från MBR till RTMD 2021 efter sammanslagningen med Västra Mälardalens "
        "kommunalförbund (räddningstjänsten)."
    ),
    "rog": (
        "Bildades 2010 av Linköping och Norrköping; fem medlemskommuner från 2015 (Valdemarsvik "
        "och Åtvidaberg ansökte). Den fullständiga aktuella förteckningen finns inte i källorna."
    ),
    "kappala": (
        "Vaxholm, Österåker (planerat) och Knivsta (godkänt av alla 11 medlemmar 2022-01-31, "
        "anslutning omkring 2026) håller på att gå med."
    ),
    "norrvatten": (
        "14 medlemskommuner (13 i Stockholms län och Knivsta); förteckningen över medlemmar "
        "finns inte i utdragen ur källorna."
    ),
    "vafab": (
        "”Samtliga kommuner i Västmanland samt Heby och Enköpings kommuner”; ombildat från "
        "kommunalt bolag (Vafab Miljö AB) till kommunalförbund."
    ),
    "srmh": "6 ledamöter: 4 från Täby, 2 från Vaxholm; ordföranden från Täby, vice från Vaxholm.",
    "taby_alkohol": (
        "Besluten ligger kvar hos varje köpande kommun (socialnämnden respektive miljö- och "
        "stadsbyggnadsnämnden). Reviderat samverkansavtal 2018."
    ),
    "taby_livsmedel": "Besluten fattas av bygg- och miljönämnden i Norrtälje.",
    "sbf_bergslagen": (
        "Samverkan i omkring 20 år; omorganiseras och avvecklas från 2023 (uppgifterna går "
        "tillbaka till kommunerna eller till den gemensamma tekniska nämnden). Kansli i Nora "
        "(2016)."
    ),
    "svensk_luftambulans": (
        "Källa (odaterade pressmeddelanden): Landstinget Dalarna, Landstinget i Värmland och "
        "Västra Götalandsregionen är medlemmar; Landstinget i Uppsala län ska ansöka."
    ),
    "rtso": (
        "Nio kommuner i Kalmar län; sju nämns i källorna (Mönsterås som värd för "
        "informationen). Ersatte förbunden Emmaboda-Torsås och Borgholm-Mörbylånga."
    ),
    "attunda": (
        "Upplands-Bro begärde utträde i december 2004 men stannade kvar efter en ny "
        "kostnadsfördelning 2006."
    ),
    "it_uppsala_norr": (
        "Ersatte Tierps och Älvkarlebys tidigare gemensamma IT-nämnd och samverkansnämnden "
        "Knivsta–Heby (IT). Kostnaden fördelas efter antal datorer och användare."
    ),
    "tolk_vast": (
        "29 medlemmar 2018: Västra Götalandsregionen och 28 kommuner (förteckningen finns inte "
        "i källan); ytterligare 12 hade ansökt."
    ),
    "sydarkivera": (
        "39 förbundsmedlemmar från 2024 (kommuner och regioner); Hultsfred antogs till 2025. "
        "Den fullständiga förteckningen finns inte i källorna."
    ),
}

# The four coordination federations share one note.
_FINSAM = (
    "Medlemskommunerna är hämtade ur förbundets namn (dokumentens rubriker); att regionen, "
    "Försäkringskassan och Arbetsförmedlingen är medlemmar följer av lagen (2003:1210) om "
    "finansiell samordning (finsam.se). Kontrollera före skarp användning."
)
NOTES_SV.update(
    dict.fromkeys(
        ("sf_sollentuna", "sf_burlov_staffanstorp", "sf_degerfors_karlskoga", "sf_aksst"), _FINSAM
    )
)
