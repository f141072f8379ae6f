"""Story clustering: the articles that report the same happening, across outlets and runs.

    state = StoryState(lookup=warehouse.stories.WarehouseStories(db))   # earlier loads, asked by key
    story_ids, rows = cluster_stories(docs, state, config, parsed=...)  # one batch, nothing mutated
    state.absorb(rows)                                                  # the next batch sees this one

`story_ids` maps each ok document of the batch to its story (for the event linker: events merge
only within a story). See `cluster.py` for the method, `pairs.py` for the pair model and
`train.py` for how it was fitted.
"""
from tasks.stories.cluster import cluster_stories
from tasks.stories.config import StoryConfig
from tasks.stories.features import StoryFeatures, story_features
from tasks.stories.state import MemoryLookup, StoryLookup, StoryState

__all__ = ["StoryConfig", "StoryFeatures", "StoryLookup", "MemoryLookup", "StoryState", "cluster_stories",
           "story_features"]
