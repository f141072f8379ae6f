from tasks.nlp.countries import countries


def test_forms_of_one_country_share_a_code():
    t = countries()
    assert {t.code(x) for x in ("Britain", "UK", "U.K.", "United Kingdom", "Great Britain")} == {"GBR"}
    assert {t.code(x) for x in ("US", "U.S.", "the United States", "America")} == {"USA"}


def test_demonyms_and_metonyms_map_to_codes_and_places_do_not():
    t = countries()
    assert t.demonym_code("Turkish") == "TUR" and t.demonym_code("Russians") == "RUS"
    assert t.metonym_code("the Kremlin") == "RUS" and t.metonym_code("Downing Street") == "GBR"
    assert t.code("Manchester") is None and t.demonym_code("Labour") is None


def test_canonical_names_are_news_forms():
    t = countries()
    assert t.name("GBR") == "United Kingdom" and t.name("RUS") == "Russia" and t.name("LKA") == "Sri Lanka"
