"""Services in the citizen's words: the one table from everyday words to service areas.

A visitor searches for "sophämtning" or "brandkår", not for "Avfall" or "Räddningstjänst". Each
word maps to the slugs of ``ServiceArea`` rows (reference data from the migrations).
"""

CITIZEN_WORDS: dict[str, tuple[str, ...]] = {
    "sophämtning": ("avfall",),
    "sopor": ("avfall",),
    "soptunna": ("avfall",),
    "återvinning": ("avfall",),
    "återvinningscentral": ("avfall",),
    "avfall": ("avfall",),
    "brandkår": ("raddningstjanst",),
    "brandstation": ("raddningstjanst",),
    "brandskydd": ("raddningstjanst",),
    "sotning": ("raddningstjanst",),
    "räddningstjänst": ("raddningstjanst",),
    "överförmyndare": ("overformyndare",),
    "god man": ("overformyndare",),
    "förvaltare": ("overformyndare",),
    "vatten": ("vatten_avlopp",),
    "avlopp": ("vatten_avlopp",),
    "dricksvatten": ("vatten_avlopp",),
    "va": ("vatten_avlopp",),
    "buss": ("kollektivtrafik",),
    "kollektivtrafik": ("kollektivtrafik",),
    "färdtjänst": ("kollektivtrafik",),
    "skolskjuts": ("kollektivtrafik",),
    "skola": ("utbildning",),
    "gymnasium": ("utbildning",),
    "vuxenutbildning": ("utbildning",),
    "bygglov": ("miljo_bygg",),
    "livsmedelskontroll": ("miljo_bygg",),
    "miljötillsyn": ("miljo_bygg",),
    "miljö": ("miljo_bygg",),
    "lön": ("lon",),
    "löner": ("lon",),
    "ekonomi": ("ekonomi",),
    "it": ("it",),
    "hjälpmedel": ("hjalpmedel",),
    "rullstol": ("hjalpmedel",),
    "socialtjänst": ("socialtjanst",),
    "ekonomiskt bistånd": ("socialtjanst",),
    "äldreomsorg": ("halsa_omsorg",),
    "hemtjänst": ("halsa_omsorg",),
    "vård": ("halsa_omsorg",),
    "bibliotek": ("kultur",),
    "kulturskola": ("kultur",),
    "musikskola": ("kultur",),
    "gator": ("gator_teknik",),
    "snöröjning": ("gator_teknik",),
    "parkering": ("gator_teknik",),
    "arkiv": ("arkiv",),
    "juridik": ("juridik",),
    "upphandling": ("upphandling",),
    "krisberedskap": ("krisberedskap",),
    "näringsliv": ("naringsliv",),
    "företag": ("naringsliv",),
    "arbetsmarknad": ("arbetsmarknad_rehabilitering",),
    "rehabilitering": ("arbetsmarknad_rehabilitering",),
    "kompetensförsörjning": ("kompetensforsorjning",),
    "regional utveckling": ("regional_utveckling",),
}


def area_slugs_for(query: str) -> list[str]:
    """Return the service-area slugs that the citizen's words in ``query`` point to.

    A word matches when the query contains it as a word, or (for a query of three letters or
    more) when the word begins with the query: "sop" finds "sophämtning".
    """
    text = " ".join(query.lower().split())
    if not text:
        return []
    padded = f" {text} "
    found: list[str] = []
    for word, slugs in CITIZEN_WORDS.items():
        if f" {word} " in padded or (len(text) >= 3 and word.startswith(text)):
            found.extend(s for s in slugs if s not in found)
    return found
