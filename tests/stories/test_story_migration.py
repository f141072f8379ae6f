"""Migration 0009 (stories) carries a warehouse clustered before it over: each old story a group that
starts as one cluster, its documents found again by their names and heaviest terms."""
from __future__ import annotations

from datetime import datetime

from stories_support import make_doc

from tasks.stories import StoryState, cluster_stories
from tasks.stories.state import Ask
from tests.conftest import older_warehouse
from warehouse.migrate import apply_migrations
from warehouse.stories import WarehouseStories


def test_old_story_features_become_groups_that_new_documents_join(tmp_path):
    db = tmp_path / "w.duckdb"
    con = older_warehouse(db, 5)
    con.execute("""INSERT INTO story_features VALUES
        ('a', 's_a', 0, '{"quake": 0.8, "eureka": 0.6}', '["eureka", "usgs"]', '[]', '[2020]', TIMESTAMP '2020-03-01', 'L0'),
        ('b', 's_a', 1, '{"quake": 0.7, "eureka": 0.7}', '["eureka"]', '[]', '[]', NULL, 'L0')""")
    con.execute("INSERT INTO documents (doc_id, title, status, story_id) VALUES ('a', 'Quake shakes Eureka', 'ok', 's_a'), ('b', NULL, 'ok', 's_a')")
    apply_migrations(con)
    assert con.execute("SELECT doc_id, component_id, story_id FROM story_assignments ORDER BY 1").fetchall() == [
        ("a", "s_a", "s_a"), ("b", "s_a", "s_a")]
    keys = set(con.execute("SELECT dated_key FROM story_keys WHERE doc_id = 'a'").fetchall())
    assert {("n:eureka@" + str(datetime(2020, 3, 1).toordinal() // 32),), ("t:quake@" + str(datetime(2020, 3, 1).toordinal() // 32),)} <= keys
    con.close()
    lookup = WarehouseStories(db)
    docs = lookup.documents(["a", "b"])
    assert docs["a"].features.legacy_group == "s_a" and docs["a"].features.headline == "Quake shakes Eureka"
    assert lookup.candidates({"c": Ask(frozenset({"n:eureka", "t:quake"}))}, 10) == {"c": {"a": 2, "b": 2}}
    new = make_doc("c", "Eureka quake: the USGS said the Eureka quake shook the coast.", published_at=datetime(2020, 3, 2))
    story_ids, rows = cluster_stories([new], StoryState(lookup=lookup))
    assert {r["doc_id"] for r in rows["story_links"]} == {"c"}
