"""Returning-caller memory: only with consent, keyed by a salted hash the caller of the manager passes in."""

from __future__ import annotations

from dialogue.manager import DialogueManager
from dialogue.memory import InMemoryStore, MemoryStore
from tests.dialogue.conftest import Convo

KEY = "3f9a1c"  # stands in for safety.privacy.hash_caller_id(number, salt)


def _first_call(store, consent: str) -> Convo:
    c = Convo(DialogueManager(seed=1, caller_key=KEY, memory=store))
    for line in ["yes", "i feel so flat", "three", "planning one small thing", "a walk", "tomorrow morning",
                 "eight", "yes", "yes", "good"]:
        c.say(line)
    assert c.last.state == "remember", c.texts()
    assert "remember your next step" in c.last.text
    c.say(consent)
    assert not c.last.end_call and "anything else" in c.last.text  # the caller ends the call, not the line
    c.say("no")
    assert c.last.end_call
    return c


def test_in_memory_store_is_a_memory_store():
    assert isinstance(InMemoryStore(), MemoryStore)


def test_remembers_only_with_consent_and_asks_how_it_went():
    store = InMemoryStore()
    _first_call(store, "yes please")
    data = store.get(KEY)
    assert data["consent"] is True and "walk" in data["next_step"] and data["mood"] == 3
    assert set(data) == {"consent", "next_step", "mood", "ts"}  # nothing else is kept

    c = Convo(DialogueManager(seed=2, caller_key=KEY, memory=store))
    assert c.last.text.startswith("Hello again")
    r = c.say("yeah")
    assert "walk" in r.text and "How did that go?" in r.text and r.meta["returning"]
    r = c.say("i did it twice actually")
    assert r.meta["reflect"] and "nought" in r.text


def test_no_consent_keeps_nothing():
    store = InMemoryStore()
    _first_call(store, "no thanks")
    assert store.get(KEY) is None
    c = Convo(DialogueManager(seed=3, caller_key=KEY, memory=store))
    assert not c.last.text.startswith("Hello again")


def test_delete_request_forgets_the_caller():
    store = InMemoryStore()
    _first_call(store, "yes")
    c = Convo(DialogueManager(seed=4, caller_key=KEY, memory=store))
    r = c.say("please delete what i said and forget me")
    assert r.delete_request and store.get(KEY) is None


def test_no_key_means_no_memory_question():
    c = Convo(DialogueManager(seed=5, memory=InMemoryStore()))
    for line in ["yes", "i feel so flat", "three", "planning one small thing", "a walk", "tomorrow morning",
                 "eight", "yes", "yes", "good"]:
        c.say(line)
    assert not c.last.end_call and "remember" not in c.last.text
    assert c.say("nope").end_call


def test_a_broken_store_never_breaks_the_call():
    class Broken:
        def get(self, key):
            raise RuntimeError("db down")

        def put(self, key, data):
            raise RuntimeError("db down")

    c = Convo(DialogueManager(seed=6, caller_key=KEY, memory=Broken()))
    r = c.say("delete what i said")
    assert r.delete_request
