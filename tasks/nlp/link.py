"""Cross-document linking: stable entity ids, label votes, and merging event mentions.

Cheap, sequential and stateful: `NlpState` asks the warehouse (`tasks.nlp.known`) for the
entities and events a batch needs and keeps what the run adds in memory as batches pass, so
batch 2 (and the next run) links to the same entities and merges into the same events.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from tasks.events.merge import EventState, argument_key, date_window, key_row, merge_event, state_from_row
from tasks.nlp.config import NlpConfig
from tasks.nlp.entities import best_written, entity_id, fold
from tasks.nlp.parse import ParsedDoc
from tasks.rows import (
    EntityAliasRow,
    EntityNameFormRow,
    EntityPersonKeyRow,
    EntityRow,
    EventArgumentRow,
    EventMentionRow,
    EventRecordRow,
    MentionRow,
    NlpEventKeyRow,
    QuoteRow,
    Rows,
)

# Rows of an older version kept an undated event's hint as "<event_id>#hint"; they are skipped.
HINT_SUFFIX = "#hint"

# Single-token names that may be a surname of a known person ("Lavrov" ORG is NER noise).
SURNAME_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "NORP", "PRODUCT"}


@dataclass
class EntityState:
    name: str
    label: str
    forms: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    fixed: bool = False  # name from a pattern id: never renamed
    country_code: str | None = None  # ISO alpha-3 of a country entity


@dataclass
class NlpState:
    """Known entities and events (what linking needs), updated in memory batch by batch."""

    entities: dict[str, EntityState] = field(default_factory=dict)
    aliases: set = field(default_factory=set)  # (entity_id, alias)
    by_last_token: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    events: dict[str, EventState] = field(default_factory=dict)
    events_by_key: dict[tuple, list[str]] = field(default_factory=lambda: defaultdict(list))
    new_forms: Counter = field(default_factory=Counter)  # (entity id, spelling) counted since the last batch's rows

    @classmethod
    def from_rows(cls, rows: dict[str, list[dict]] | None = None) -> "NlpState":
        """State from rows of the state tables (`entities`, `entity_label_votes`, `entity_aliases`,
        `event_keys`, `event_arguments`, `event_mentions`; missing names are empty). A run's state
        asks the warehouse instead (`tasks.nlp.known.state_from_source`)."""
        rows = rows or {}
        st = cls()
        st.entities.update(entity_states(rows.get("entities", []), rows.get("entity_label_votes", []),
                                         rows.get("entity_name_forms")))
        for r in rows.get("entity_aliases", []):
            st.aliases.add((r["entity_id"], r["alias"]))
        for eid, e in st.entities.items():
            st.index_person(eid, e)
        for ev in event_states(rows.get("event_keys", []), rows.get("event_arguments", []), rows.get("event_mentions", [])):
            st.add_event(ev)
        return st

    def index_person(self, eid: str, e: EntityState) -> None:
        key = person_key(e)
        if key is not None:
            self.by_last_token[key].add(eid)

    def add_event(self, ev: EventState) -> None:
        self.events[ev.event_id] = ev
        self.events_by_key[(ev.event_type, ev.actors)].append(ev.event_id)

    # -- entities -------------------------------------------------------------------------
    def resolve(self, canon: str, label: str, fixed: bool = False) -> str:
        """The entity id of a (document-level) canonical name."""
        key = fold(canon)
        if not fixed and " " not in key and label in SURNAME_LABELS:
            known = self.by_last_token.get(key, set())
            if len(known) == 1:
                return next(iter(known))
        return entity_id(canon)

    def observe(self, eid: str, canon: str, label: str, fixed: bool, vote: bool = True, country: str | None = None) -> None:
        e = self.entities.get(eid)
        if e is None:
            e = self.entities[eid] = EntityState(canon, label, fixed=fixed)
        e.country_code = e.country_code or country
        if fixed:
            e.fixed, e.name = True, canon
        if fold(canon) == fold(e.name) or len(canon.split()) >= len(e.name.split()):
            e.forms[canon] += 1
            self.new_forms[(eid, canon)] += 1
        if vote:
            e.votes[label] += 1
        if not e.fixed and e.forms:
            best = best_written(Counter({f: n for f, n in e.forms.items() if len(f.split()) == max(len(x.split()) for x in e.forms)}))
            e.name = best
        if e.votes:
            e.label = max(e.votes.items(), key=lambda kv: (kv[1], kv[0] == "PERSON", kv[0]))[0]
        if e.country_code and e.label not in ("GPE", "LOC"):
            e.label = "GPE"  # a vote never makes a country a PERSON
        self.index_person(eid, e)


def entity_states(entity_rows: list[dict], vote_rows: list[dict], form_rows: list[dict] | None = None) -> dict[str, EntityState]:
    """Known entities from `entities` rows, their label votes (entity_id, label, n) and the
    spellings they were seen in (entity_id, form, n); without spelling rows an entity starts from
    its stored name seen once."""
    out = {r["entity_id"]: EntityState(r["name"], r["label"], country_code=r.get("country_code")) for r in entity_rows}
    for r in vote_rows:
        if r["entity_id"] in out and r["label"]:
            out[r["entity_id"]].votes[r["label"]] += int(r["n"])
    for r in form_rows or ():
        if r["entity_id"] in out and r["form"]:
            out[r["entity_id"]].forms[r["form"]] += int(r["n"])
    for e in out.values():
        if not e.forms:
            e.forms[e.name] = 1
    return out


def person_key(e: EntityState) -> str | None:
    """The key a person is found by from a lone surname: the last word of a PERSON's folded name
    of two words or more (`NlpState.index_person`); None for anything else."""
    toks = fold(e.name).split()
    return toks[-1] if e.label == "PERSON" and len(toks) >= 2 else None


def event_states(key_rows: list[dict], arg_rows: list[dict], mention_rows: list[dict]) -> list[EventState]:
    """Known events from `nlp_event_keys` rows and the events' arguments and mentions, in the
    order of `key_rows` (rows of an older version's `#hint` form are skipped)."""
    args = defaultdict(set)
    for r in arg_rows:
        args[r["event_id"]].add((r["role"], argument_key(r["role"], r["entity_id"], r.get("name") or "")))
    mentions = defaultdict(set)
    for r in mention_rows:
        mentions[r["event_id"]].add((r["doc_id"], r["start_char"]))
    out = []
    for r in key_rows:
        if r["event_id"].endswith(HINT_SUFFIX):
            continue
        evid = r["event_id"]
        out.append(state_from_row(r, {m[0] for m in mentions[evid]}, args[evid], mentions[evid]))
    return out


def link_batch(parsed: list[ParsedDoc], state: NlpState, config: NlpConfig = NlpConfig(),
               story_ids: dict[str, str] | None = None) -> Rows:
    """Rows to write for a batch of parsed documents; `state` is updated in place.

    Tables: entities, entity_person_keys, entity_name_forms (the spellings counted in this batch),
    entity_aliases, mentions, quotes, event_records, event_arguments, event_mentions and
    nlp_event_keys (typed rows, `tasks.rows`). Documents whose parse failed
    are skipped (the step records the failure in their notes). `story_ids` (doc id -> story id), when known, keeps events of
    different stories apart (tasks.events.merge).
    """
    out = Rows()
    for table in ("entities", "entity_person_keys", "entity_name_forms", "entity_aliases", "mentions", "quotes", "event_records",
                  "event_arguments", "event_mentions", "nlp_event_keys"):
        out[table] = []
    touched: set[str] = set()
    touched_events: set[str] = set()
    ok = [p for p in parsed if p.error is None]
    # full person names first, so a surname anywhere in the batch links to them
    for p in ok:
        for m in p.mentions:
            if (m.canon_label or m.label) == "PERSON" and len(m.canon.split()) >= 2:
                eid = entity_id(m.canon)
                state.observe(eid, m.canon, "PERSON", m.fixed, vote=False)
    for p in ok:
        doc_ids: dict[str, str] = {}  # folded canonical name -> entity id, within this document
        for m in p.mentions:
            label = m.canon_label or m.label
            if m.lone_word and state.by_last_token.get(fold(m.canon)):
                label = "PERSON"  # the surname of a person named in full in another document
            eid = state.resolve(m.canon, label, m.fixed)
            doc_ids[fold(m.canon)] = eid
            state.observe(eid, m.canon, label, m.fixed, country=m.country)
            touched.add(eid)
            # the label this mention votes for ("Lavrov" tagged ORG but linked to a PERSON votes PERSON)
            out.add(MentionRow(p.doc_id, eid, m.text, label, m.start, m.end, m.field))
            for alias in {m.name, m.canon}:
                if (eid, alias) not in state.aliases:
                    state.aliases.add((eid, alias))
                    out.add(EntityAliasRow(eid, alias))

        def ref(name: str, label: str) -> str:
            eid = doc_ids.get(fold(name))
            if eid is None:
                eid = state.resolve(name, label)
                if eid not in state.entities:
                    state.observe(eid, name, label, False)
                    if (eid, name) not in state.aliases:
                        state.aliases.add((eid, name))
                        out.add(EntityAliasRow(eid, name))
                touched.add(eid)
            return eid

        for q in p.quotes:
            sid = ref(q.speaker, q.speaker_label or "PERSON") if q.speaker else None
            out.add(QuoteRow(p.doc_id, sid, state.entities[sid].name if sid else None, q.quote, q.start, q.end,
                             q.confidence if sid else None))
        for rec in p.events:
            if rec.confidence < config.min_event_confidence:
                continue
            ids = [(a.role, ref(a.name, a.label) if a.label else None, a.name) for a in rec.args]
            if hasattr(state.events_by_key, "ask"):  # a state asking the warehouse: this mention's candidates
                actors = frozenset(argument_key(role, eid, name) for role, eid, name in ids if role == "actor")
                state.events_by_key.ask([((rec.event_type, actors), date_window(rec.date, rec.date_source))])
            ev = merge_event(state, p.doc_id, rec, ids, (story_ids or {}).get(p.doc_id))
            touched_events.add(ev.event_id)
            key = (p.doc_id, rec.start)
            if key not in ev.mention_keys:
                ev.mention_keys.add(key)
                out.add(EventMentionRow(ev.event_id, p.doc_id, rec.sentence, rec.start, rec.end, rec.confidence, rec.evidence))
            for (role, eid, name), a in zip(ids, rec.args):
                key = (role, argument_key(role, eid, name))
                if key not in ev.args:
                    ev.args.add(key)
                    out.add(EventArgumentRow(ev.event_id, role, eid, state.entities[eid].name if eid else name, a.country, a.sector))
    for eid in sorted(touched):
        e = state.entities[eid]
        out.add(EntityRow(eid, e.name, e.label, e.country_code))
        out.add(EntityPersonKeyRow(eid, person_key(e)))
    for (eid, form), n in sorted(state.new_forms.items()):
        out.add(EntityNameFormRow(eid, form, n))
    state.new_forms.clear()
    for evid in sorted(touched_events):
        ev = state.events[evid]
        d = ev.date if ev.date and ev.date.precision else None
        out.add(EventRecordRow(evid, ev.event_type, d.as_date() if d else None, d.precision if d else None,
                               ev.location, round(ev.confidence, 3), ev.date_source if d else None))
        out.add(NlpEventKeyRow(**key_row(ev)))
    return out


def entity_names_by_doc(parsed: list[ParsedDoc]) -> dict[str, list[str]]:
    """Normalised (folded, canonical) entity names per document, for the story clusterer."""
    return {p.doc_id: sorted({fold(m.canon) for m in p.mentions}) for p in parsed}
