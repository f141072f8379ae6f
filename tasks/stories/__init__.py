"""Story clustering: the articles that report the same happening, across outlets and runs.

    state = StoryState(lookup=warehouse.stories.WarehouseStories(db))   # earlier loads, asked by key
    docs, rows = stories_step(docs, state, config, parsed=parsed)        # copies with story_id, typed rows
                                                                         # (state advanced: the next batch sees this one)

The flow runs it after the parse and before linking: the documents' `story_id`s bound event
merging in the linker (events merge only within a story). `cluster_stories` is the plain
function under the step (plain rows, nothing mutated). See `cluster.py` for the method,
`pairs.py` for the pair model and `train_pair_model.py` for how it was fitted.
"""
from tasks.stories.cluster import cluster_stories
from tasks.stories.config import StoryConfig
from tasks.stories.features import StoryFeatures, story_features
from tasks.stories.state import MemoryLookup, StoryLookup, StoryState
from tasks.stories.step import stories_step

__all__ = ["StoryConfig", "StoryFeatures", "StoryLookup", "MemoryLookup", "StoryState", "cluster_stories",
           "stories_step", "story_features"]
