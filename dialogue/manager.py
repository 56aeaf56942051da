"""The CBT dialogue manager: what the line says next.

A session follows the shape of good CBT (Cognitive Therapy Rating Scale items): greeting with the
disclosure and consent, a check-in (how are you, mood nought to ten), agreeing one focus, one exercise,
a short summary in the caller's own words, one small next step, asking how the call was, and a close
that says how to reach help. The caller can change direction, ask for a person, or end at any time.

The safety layer decides risk; this module only follows its ``Decision`` (see dialogue/safety_mode.py).
Every reply passes the checks in dialogue/phrasing.py before it leaves: safe messaging, at most one
question, at most forty words, numbers written to be spoken, never the same words twice in a row.
"""

from __future__ import annotations

import re

from dialogue import memory as mem
from dialogue.numbers import number_words
from dialogue.phrasing import MAX_WORDS, Phraser, is_safe, own_words, tidy, word_count
from dialogue.safety_mode import SafetyMode, asked_in
from dialogue.techniques import FLOWS, Ctx, Step, Technique
from dialogue.techniques.base import Reflection, reflect_line, said_back, shorter
from dialogue.techniques.reflect import OPEN_QUESTIONS
from dialogue.types import Pause, Reply
from dialogue.understanding import Understanding, understand
from safety.types import Action, Decision

# How the line names each flow when offering it, and the words that pick it.
FLOW_NAMES = {
    "breathing": "some slow breathing",
    "grounding": "a grounding exercise",
    "thought_record": "looking at one difficult thought",
    "thinking_traps": "spotting thinking traps",
    "worry": "worry time",
    "activation": "planning one small, doable thing",
    "problem_solving": "breaking a problem down",
    "sleep": "a sleep wind-down",
    "waiting_list": "how to use the wait",
    "screening": "a short mood and worry check",
    "reflect": "just talking it through",
}
FLOW_KEYWORDS: dict[str, tuple[str, ...]] = {
    "breathing": ("breathing", "breathe", "breath", "breathing exercise", "breeding", "bree thing", "relax"),
    "grounding": ("grounding", "ground", "senses", "five four three", "five things"),
    "thought_record": ("thought record", "difficult thought", "one thought", "a thought", "the thought",
                       "thoughts", "thought"),
    "thinking_traps": ("thinking traps", "thinking trap", "traps", "trap"),
    "worry": ("worry time", "worries", "worry", "worrying"),
    "activation": ("small thing", "doable thing", "planning", "plan something", "activity", "something nice",
                   "get going", "motivation", "do something", "doable"),
    "problem_solving": ("problem", "problems", "break it down", "breaking", "solve", "sort it out"),
    "sleep": ("sleep", "sleeping", "insomnia", "wind down", "wind-down", "bedtime", "nights"),
    "waiting_list": ("waiting list", "the wait", "waiting", "wait", "appointment", "referral"),
    "screening": ("mood check", "worry check", "questionnaire", "check", "questions", "screening", "test"),
    "reflect": ("just talk", "talk it through", "talking", "talk", "chat", "listen", "vent"),
}
FLOW_PROTOTYPES: dict[str, tuple[str, ...]] = {
    "breathing": ("let's do the breathing", "help me calm down", "a breathing exercise"),
    "grounding": ("help me feel present", "the senses exercise", "bring me back to now"),
    "thought_record": ("look at my thoughts", "go through a difficult thought", "write down the thought"),
    "thinking_traps": ("spot the thinking traps", "patterns in my thinking"),
    "worry": ("deal with my worries", "i keep worrying", "worry time"),
    "activation": ("plan something to do", "i need to get going", "something to lift my mood"),
    "problem_solving": ("sort out a problem", "work out what to do", "break the problem down"),
    "sleep": ("help with sleep", "i can't sleep at night", "help me sleep better"),
    "waiting_list": ("i'm on a waiting list", "waiting for therapy", "what happens at the appointment"),
    "screening": ("check my mood with some questions", "do the questionnaire"),
    "reflect": ("just talk", "i just want to talk", "listen to me", "talk it through"),
}
_WAIT_WORDS = re.compile(r"\b(?:waiting list|wait(?:ing)? (?:for|list)|on a list|referral|referred|weeks? wait|"
                         r"months? wait|first appointment|assessment)\b")
_SLEEP_WORDS = re.compile(r"\b(?:sleep|sleeping|insomnia|awake|can't sleep|cant sleep|nights?|tired)\b")
_SWITCH = re.compile(r"\b(?:something else|something different|another (?:thing|exercise)|change the subject|"
                     r"different exercise|this isn't helping|this is not helping|not helping|instead|rather do)\b")
# The caller has signalled an end ("that's all", "nothing else"): "goodbye" itself is an intent of its own.
_END_SIGNAL = re.compile(r"\b(?:that's all|that is all|that's it|that's everything|nothing else|nothing more|no more|"
                         r"i'm done|i'm all done|we're done|i'm good thanks|i'm okay thanks|all good|leave it there|"
                         r"hang up|end the call|finish (?:here|now|there)|i'm finished)\b")
# A next step is something the caller would do: "i'll call my sister", "a walk", "try writing it down".
_ACTION = re.compile(r"\b(?:i'll|i will|i could|i can|i'm going to|im going to|i am going to|gonna|i might|i should|"
                     r"i need to|i'd like to|maybe i|i want to (?!feel|be\b)|try|trying|going to|plan to|tonight|"
                     r"tomorrow|later|this evening|this week)\b(?!'t|n't|not|t\b)")
_STATEMENT = re.compile(r"^(?:(?:yeah|yes|well|so|and|um|uh|oh)\s+)*(?:i|i'm|im|i've|ive|my|it|it's|he|she|they|we|"
                        r"last|yesterday|when|the|everyone|nobody|people|work)\b")
_FEEDBACK = re.compile(r"\b(?:this call|the call|talking|today|it was|it's been|that was|helped|helpful|useful|"
                       r"nice|good|great|fine|okay|ok|better|thanks|thank you|not sure|so so|alright)\b")
_REQUEST = re.compile(r"\b(?:can we|could we|let's|lets|i'd like|i would like|i want|want to|try|do some|do the|"
                      r"help with|help me)\b")

CLOSINGS = [
    "Thank you for calling Warmline. You can call back any time, and ask for a person whenever you need one. "
    "If things feel urgent, call {crisis}. Take care.",
    "Thanks for talking with me. This line is here any time, and a person is always one request away. "
    "In a crisis, call {crisis}. Look after yourself.",
    "I'm glad you called. Call back whenever you like, and just ask if you want a person. If things get hard, "
    "call {crisis}. Goodbye for now.",
]
GREETING = ("{hello}, this is Warmline. I'm an automated assistant, not a therapist or an emergency service. "
            "You can ask for a person at any time, and in a crisis, call {crisis}. {consent}")


def warm_up() -> None:
    """Load the sentence embedder and embed every prototype now (about half a second, once per process),
    so the first caller does not wait for it. Servers call this at start-up."""
    from dialogue.techniques.worry import KIND_OPTIONS
    from dialogue.understanding import SEMANTIC

    SEMANTIC.global_protos()
    SEMANTIC.option_protos(dict(FLOW_PROTOTYPES))
    SEMANTIC.option_protos(KIND_OPTIONS)
    SEMANTIC.vector("hello")


class DialogueManager:
    """One call's conversation. Not thread-safe: one instance per call."""

    def __init__(
        self,
        *,
        crisis_line: str = "988",
        caller_key: str | None = None,
        memory: mem.MemoryStore | None = None,
        seed: int | None = None,
    ) -> None:
        self.p = Phraser(seed)
        self.ctx = Ctx(p=self.p, crisis_line=crisis_line)
        self.caller_key = caller_key
        self.memory = memory
        self.previous = mem.remembered(memory, caller_key)
        self.safety = SafetyMode(self.ctx)
        self.state = "start"
        self.technique: Technique | None = None
        self.misses = 0
        self.silences = 0
        self.reflected = False
        self.mood: int | None = None
        self.mood_after: int | None = None
        self.flows_done: list[str] = []
        self.topic = ""  # the caller's first account of what's going on, turned round
        self.topic_emotions: list[str] = []
        self.next_step: str | None = None
        self.offered: list[str] = []
        self._pending_summary = ""
        self._closing_round = False  # the next step and feedback are done: only the caller ends the call
        self._carry_on: Understanding | None = None  # new words after the feedback, offered back to them
        self._next_tries = 0
        self._last_u: Understanding | None = None
        self.last: Reply | None = None
        self._expect: dict = {}
        self.history: list[tuple[str, str]] = []  # (speaker, text), for tests and chat

    # -- public interface ------------------------------------------------------------------------------

    def greeting(self) -> Reply:
        hello = "Hello again" if self.previous else self.p.pick("hello", ["Hello", "Hi"])
        consent = self.p.pick("consent", ["Is it okay to carry on?", "Would you like to carry on?",
                                          "Shall we carry on?"])
        self.state = "consent"
        self._expect = {"yes_no": True}
        return self._out(Step([GREETING.format(hello=hello, crisis=self.ctx.crisis, consent=consent)], yes_no=True),
                         disclosure=True)

    def respond(self, text: str, decision: Decision | None = None) -> Reply:
        if self.state == "start":
            self.greeting()
        self.history.append(("caller", text or ""))
        u = understand(
            text,
            expect_number=bool(self._expect.get("number")),
            options=self._expect.get("options"),
            keywords=self._expect.get("keywords"),
        )
        if u.choice is not None and u.choice.isdigit() and u.number is None:
            u.number = int(u.choice)
        if u.words >= 2 and not u.unclear:
            self._last_u = u
        if not u.silence:
            self.silences = 0
        return self._respond(u, decision)

    def on_silence(self) -> Reply:
        """The caller has said nothing for a while."""
        self.silences += 1
        if self.state == "closed":
            return self._out(Step([self._closing()]), end=True)
        if self.state in ("transfer", "human"):
            return self.hold_talk()
        if self.silences == 1:
            lines = [self.p.pick("sil1", ["I'm still here. Take your time.", "Take all the time you need. I'm here.",
                                          "No rush. I'm still here with you."])]
        elif self.silences == 2:
            lines = [self.p.pick("sil2", ["If it's hard to find words, that's okay.",
                                          "There's no pressure to say anything in particular."]),
                     "Even a yes or a no is fine."]
        else:
            lines = [self.p.pick("sil3", ["I'm still with you.", "I'm still on the line."]),
                     "If you'd like a person, just say person.",
                     f"And if things feel urgent, you can call {self.ctx.crisis}."]
        return self._out(Step(lines), meta={"silence": self.silences})

    @property
    def asked(self) -> str | None:
        """The screening question the last reply asked ("cssrs:method", ...), or None. The call loop passes
        it with the caller's next words to ``CallRiskState.answer`` (safety/cssrs.py)."""
        return self.last.meta.get("asked") if self.last is not None else None

    def hold_talk(self) -> Reply:
        """One short line of company while a person is being brought in (never the same twice in a row)."""
        return self._out(self.safety.hold_talk(), meta={"hold_talk": True})

    # -- the turn ---------------------------------------------------------------------------------------

    def _respond(self, u: Understanding, decision: Decision | None) -> Reply:
        if self.state == "closed":
            return self._out(Step([self._closing()]), end=True)

        if u.intent == "delete":
            mem.forget(self.memory, self.caller_key)
            self.previous = None
            return self._out(Step([self.p.pick("delete", [
                "Okay. What you've said on this call will be deleted.",
                "Of course. I'll make sure what you said on this call is deleted.",
            ]), "We can carry on if you like, or say goodbye any time."]), delete=True)

        # Safety first: the decision from safety/ outranks everything the caller asked for.
        if decision is not None:
            if decision.action in (Action.WARM_TRANSFER, Action.EMERGENCY_GUIDANCE) and self.safety.needs(decision):
                self.state = "transfer"
                self.technique = None
                return self._out(self.safety.enter(decision), meta={"safety": decision.action.value}, human=True)
            if decision.walked_back and self.state != "transfer":
                self.technique = None
                self.safety.flow = None
                self.state = "checkin"
                return self._out(self.safety.walked_back(), meta={"safety": "walked_back"})
            if self.safety.needs(decision):
                self.technique = None
                self.state = "safety"
                step = self.safety.deepen(decision) or self.safety.enter(decision)
                return self._out(step, meta={"safety": decision.action.value})

        if u.intent == "human" and self.state != "transfer":
            self.state = "human"
            self.technique = None
            return self._out(Step([self.p.pick("human", ["Of course. I'm getting a person for you now.",
                                                         "Okay. I'll bring a person in for you now."]),
                                   "Please stay on the line."]), human=True)
        if u.intent == "repeat" and self.last is not None:
            return self._again(slow=False)
        if u.intent == "slower" and self.last is not None:
            self.ctx.slow = True
            return self._again(slow=True)

        if self.state == "transfer":
            if u.intent == "goodbye":
                return self._out(Step(["Please stay on the line if you can.",
                                       f"If you do need to go, call {self.ctx.crisis} any time."]))
            walked_back = decision is not None and decision.walked_back
            step = self.safety.transfer_turn(u, walked_back=walked_back)
            return self._out(step, meta={"safety": "walked_back" if walked_back else "transfer"})
        if self.state == "human":
            if u.intent == "goodbye":
                return self._close()
            return self._out(Step([self.p.pick("human_wait", [
                "A person has been asked for. I'm right here with you until then.",
                "A person is being found for you. I'm staying on the line with you.",
            ])]))

        if u.intent == "goodbye":
            return self._close()
        if u.intent == "stop":
            if self.technique is not None:
                self.technique = None
                self.state = "after_stop"
                self._expect = {"keywords": {"else": ("else", "different", "another", "other", "try"),
                                             "wrap": ("wrap", "finish", "end", "done", "stop", "bye", "no")}}
                return self._out(Step(["Okay, we'll stop there.",
                                       "Would you like to try something else, or wrap up?"]))
            return self._close()

        if self.state == "safety" or self.safety.flow is not None:
            step = self.safety.handle(u)
            if step is None:
                return self._miss(u)
            self.misses = 0
            if step.human:
                self.state = "transfer"
                return self._out(step, human=True, meta={"safety": "accepted_human"})
            if self.safety.flow is None:
                self.state = "checkin"
            return self._out(step, meta={"safety": self.safety.flow or "done"})

        if u.silence:
            return self.on_silence()

        handler = getattr(self, "_state_" + self.state.split(":")[0], None)
        if handler is None:
            return self._close()
        return handler(u)

    # -- states -----------------------------------------------------------------------------------------

    def _state_consent(self, u: Understanding) -> Reply:
        if u.answer == "no" and u.words <= 4:
            return self._close(lead="That's okay.")
        if u.answer in ("yes", "maybe") and u.words <= 4:
            self.misses = 0
            if self.previous and self.previous.get("next_step"):
                self.state = "followup"
                return self._out(Step([self.p.pick("welcome", ["Welcome back.", "Good to hear from you again."]),
                                       f"Last time you planned {self.previous['next_step']}.",
                                       "How did that go?"]), meta={"returning": True})
            self.state = "checkin"
            return self._out(Step([self.p.pick("thanks_consent", ["Thank you.", "Okay, good.", "Alright."]),
                                   self.p.pick("checkin_q", [
                                       "How are you doing right now, in your own words?",
                                       "How are things for you today?",
                                       "What's been going on for you?",
                                   ])]))
        if u.mumble or u.answer == "dont_know" or u.intent == "thanks":
            return self._miss(u)
        # They went straight into what's wrong: that is a yes, and it is the check-in answer.
        self.state = "checkin"
        return self._state_checkin(u)

    def _state_followup(self, u: Understanding) -> Reply:
        if u.mumble:
            return self._miss(u)
        self.state = "mood"
        self._expect = {"number": True}
        ref = reflect_line(self.p, u.text, u.emotions, max_words=10)
        return self._out(Step([ref, self._mood_question()], reflect=True, expect_number=True))

    def _state_checkin(self, u: Understanding) -> Reply:
        if self.misses >= 2 and u.answer in ("yes", "no") and u.words <= 3:
            # the answer to "would you like to keep talking, yes or no?"
            if u.answer == "no":
                return self._close(lead="That's okay.")
            self.misses = 0
            return self._out(Step(["Okay.", self.p.pick("talk_about", ["What would you like to talk about?",
                                                                       "What's on your mind today?"])]))
        if u.mumble or (u.answer in ("dont_know",) and not u.emotions):
            return self._miss(u)
        self.misses = 0
        flow = self._requested_flow(u)
        if flow:
            return self._start_flow(flow, u, requested=True)
        story = _without_rating(u.text)
        if u.number is not None and len(story.split()) < 3 and not u.emotions:
            # Just a number: keep it as the mood, and ask what's going on before suggesting anything.
            self.mood = u.number
            self.state = "checkin"
            return self._out(Step([self.p.pick("mood_ack", ["Thanks. {n} out of ten.", "Okay, a {n}."],
                                               n=number_words(u.number)),
                                   self.p.pick("checkin_more", ["What's been going on for you?",
                                                                "What's behind that number, would you say?"])]))
        if not self.topic and len(story.split()) >= 3:
            self.topic = own_words(story, max_words=10) if is_safe(own_words(story, max_words=10)) else ""
        self.topic_emotions = self.topic_emotions or u.emotions
        ref = reflect_line(self.p, story, u.emotions)
        if not ref.real:
            return self._miss(u)  # nothing to reflect yet ("yes", "for"): ask again, differently
        if u.number is not None or self.mood is not None:
            self.mood = u.number if u.number is not None else self.mood
            return self._offer_focus([ref], u, reflect=True)
        self.state = "mood"
        return self._out(Step([ref, self._mood_question()], reflect=True, expect_number=True))

    def _mood_question(self) -> str:
        return self.p.pick("mood_q", [
            "From nought to ten, where ten is the best you feel, where's your mood right now?",
            "If nought is the lowest and ten is great, what number is your mood right now?",
            "On a scale of nought to ten, how is your mood right now?",
        ])

    def _state_mood(self, u: Understanding) -> Reply:
        n = u.number
        if n is None and self.misses >= 2:
            n = {"low": 3, "sad": 3, "hopeless": 2, "okay": 5, "good": 7}.get(u.emotions[0] if u.emotions else "", None)
        if n is None:
            flow = self._requested_flow(u)
            if flow:
                return self._start_flow(flow, u, requested=True)
            if u.words >= 4 and not u.mumble:
                # They answered with more of their story: reflect it and ask again, once.
                if self.misses == 0:
                    self.misses = 1
                    ref = reflect_line(self.p, u.text, u.emotions)
                    self.topic = self.topic or own_words(u.text, max_words=10)
                    return self._out(Step([ref, "And as a number from nought to ten, where's your mood?"],
                                          reflect=True, expect_number=True))
                return self._offer_focus([], u)
            return self._miss(u)
        self.misses = 0
        self.mood = n
        ack = self.p.pick("mood_ack", ["Thanks. {n} out of ten.", "Okay, a {n}.", "Thank you, {n}."],
                          n=number_words(n))
        return self._offer_focus([ack], u)

    def _offer_focus(self, lead: list[str], u: Understanding, *, reflect: bool = False) -> Reply:
        options = self._suggest_flows(u)
        self.offered = options
        self.state = "focus"
        keywords = {k: FLOW_KEYWORDS[k] for k in options}
        keywords.update({k: v for k, v in FLOW_KEYWORDS.items() if k not in keywords})
        self._expect = {"keywords": keywords, "options": {k: FLOW_PROTOTYPES[k] for k in FLOW_PROTOTYPES}}
        a, b = FLOW_NAMES[options[0]], FLOW_NAMES[options[1]]
        line = self.p.pick("focus", [
            "We could try {a}, or {b}, or just talk it through. What would suit you?",
            "Some options: {a}, {b}, or just talking. Which sounds best?",
            "I could guide you through {a}, or {b}, or we can just talk. What would you like?",
        ], a=a, b=b)
        return self._out(Step([*lead, line], suggest=True, reflect=reflect, keywords=keywords))

    def _suggest_flows(self, u: Understanding) -> list[str]:
        emotions = set(self.topic_emotions) | set(u.emotions)
        said = (self.topic + " " + u.text).lower()
        if _WAIT_WORDS.search(said):
            picks = ["waiting_list", "breathing"]
        elif _SLEEP_WORDS.search(said) or "tired" in emotions:
            picks = ["sleep", "breathing"]
        elif emotions & {"anxious", "scared", "overwhelmed"}:
            picks = ["breathing", "thought_record"]
        elif emotions & {"worried", "stressed"}:
            picks = ["worry", "breathing"]
        elif emotions & {"low", "sad", "numb", "hopeless", "lonely"}:
            picks = ["activation", "thought_record"]
        elif emotions & {"angry", "ashamed"}:
            picks = ["thinking_traps", "breathing"]
        elif emotions & {"confused"}:
            picks = ["problem_solving", "thought_record"]
        else:
            picks = ["thought_record", "breathing"]
        picks = [f for f in picks if f not in self.flows_done] or ["grounding", "problem_solving"]
        while len(picks) < 2:
            picks.append(next(f for f in ("breathing", "grounding", "thought_record") if f not in picks))
        return picks[:2] + ["reflect"]

    def _state_focus(self, u: Understanding) -> Reply:
        flow = u.choice if u.choice in FLOWS else None
        if flow is None and u.answer in ("yes", "maybe", "dont_know"):
            flow = self.offered[0] if self.offered else "reflect"
        if flow is None and u.answer == "no":
            flow = "reflect"
        if flow is None:
            if u.mumble or u.words <= 2:
                return self._miss(u)
            flow = "reflect"  # they said something else: listen to it
            return self._start_flow(flow, u, requested=False, heard=u)
        return self._start_flow(flow, u, requested=True)

    def _state_technique(self, u: Understanding) -> Reply:
        t = self.technique
        if t is None:
            return self._wrap_up([])
        if _SWITCH.search(u.text) or u.intent == "switch":
            other = _keyword_flow(_SWITCH.sub(" ", u.text))  # "do something else" names no flow
            self.technique = None
            if other and other != t.name:
                return self._start_flow(other, u, requested=True)
            return self._offer_focus([self.p.pick("switch", ["Sure, let's change tack.", "Of course."])], u)
        if u.mumble:
            return self._miss(u)
        step = t.handle(u)
        if step is None:
            return self._miss(u)
        self.misses = 0
        if step.done:
            if t.result:
                self._results[t.name] = t.result
            self.flows_done.append(t.name)
            self.technique = None
            return self._wrap_up(list(step.parts), step)
        self._expect = {"number": step.expect_number, "keywords": step.keywords, "options": step.options}
        return self._out(step, meta={"flow": t.name})

    def _state_after_stop(self, u: Understanding) -> Reply:
        if u.choice == "else" or u.answer == "yes":
            return self._offer_focus([self.p.pick("else", ["Okay.", "Sure."])], u)
        flow = _keyword_flow(u.text)
        if flow:
            return self._start_flow(flow, u, requested=True)
        return self._wrap_up([])

    def _wrap_up(self, lead: list, step: Step | None = None) -> Reply:
        """After the exercise: a short summary in the caller's words, checked with them."""
        if self._closing_round:
            # They kept talking after the feedback: no second summary, ask them if there's more.
            return self._anything_else(lead)
        self.state = "summary"
        self._expect = {"yes_no": True}
        t_result = None
        if self.flows_done:
            flow = self.flows_done[-1]
            t_result = self._results.get(flow)
        bits = []
        if self.topic:
            bits.append(f"you told me {self.topic}" if self.topic.split()[0] in ("you", "you're", "you've")
                        else said_back(self.topic))
        if t_result and t_result not in bits:
            bits.append(t_result)
        if not bits:
            return self._ask_next_step(lead)
        summary = "So today, " + ", and ".join(bits) + "."
        if word_count(summary) > 28:
            summary = "So today, " + bits[-1] + "."
        def too_long(parts: list) -> bool:
            return word_count(" ".join(x for x in [*parts, summary] if isinstance(x, str))) > MAX_WORDS - 6

        if too_long(lead) and len(bits) > 1:
            summary = "So today, " + bits[-1] + "."
        while lead and too_long(lead) and not (step is not None and step.keep) and len(lead) > 1:
            lead = lead[:-1]
        if lead and too_long(lead):
            # The exercise's last words matter (a score, a plan): say them whole, sum up next turn.
            self.state = "summary_pending"
            self._pending_summary = summary
            return self._out(Step([*lead, self.p.pick("land", ["How does that sound?", "How does that land with you?"])]))
        return self._out(Step([*lead, summary, self.p.pick("summary_q", ["Does that sound right?",
                                                                         "Have I got that right?"])],
                              reflect=True), meta={"summary": True})

    @property
    def _results(self) -> dict[str, str]:
        return self.ctx.notes.setdefault("results", {})

    def _state_summary_pending(self, u: Understanding) -> Reply:
        if u.mumble:
            return self._miss(u)
        self.state = "summary"
        ack = reflect_line(self.p, u.text, u.emotions, max_words=8) if u.words >= 3 and u.answer is None else \
            self.p.pick("ack", ["Okay.", "Thank you."])
        return self._out(Step([ack, self._pending_summary, self.p.pick("summary_q", ["Does that sound right?",
                                                                                      "Have I got that right?"])],
                              reflect=True), meta={"summary": True})

    def _state_summary(self, u: Understanding) -> Reply:
        lead = ["Thanks for putting me right."] if u.answer == "no" else \
            [self.p.pick("summary_ok", ["Good.", "Okay."])] if u.answer in ("yes", "maybe") else []
        return self._ask_next_step(lead)

    def _ask_next_step(self, lead: list) -> Reply:
        self.state = "next_step"
        self._expect = {}
        planned = self.ctx.notes.get("next_step")
        if planned:
            self.next_step = planned
            self.state = "next_step_confirm"
            return self._out(Step([*lead, f"Your next step is {planned}.", "Does that still feel doable?"]))
        idea = self.ctx.notes.get("next_step_idea")
        q = self.p.pick("next_q", ["What's one small thing you'll do after this call?",
                                   "What's one small step you could take next?"])
        if idea:
            return self._out(Step([*lead, f"Maybe {idea}.", q], suggest=True))
        return self._out(Step([*lead, q], suggest=True))

    def _state_next_step_confirm(self, u: Understanding) -> Reply:
        if u.answer is None and u.words >= 3 and not u.mumble:
            return self._state_next_step(u)  # they said their own next step: keep their words
        if u.answer == "no":
            self.next_step = None
            self.state = "next_step"
            return self._out(Step(["That's okay.", "What would feel more doable?"]))
        return self._ask_feedback(["Good."])

    def _state_next_step(self, u: Understanding) -> Reply:
        if u.mumble:
            return self._miss(u)
        if u.answer in ("no", "dont_know") and u.words <= 4:
            idea = self.ctx.notes.get("next_step_idea")
            if self._next_tries:
                idea = None  # they just said no to it
            self.next_step = idea
            return self._ask_feedback(["That's okay." + (f" Maybe just {idea}." if idea else "")])
        if u.answer == "yes" and u.words <= 3 and self.ctx.notes.get("next_step_idea"):
            self.next_step = self.ctx.notes["next_step_idea"]
            return self._ask_feedback([f"Okay, {self.next_step}. That sounds doable."])
        w = own_words(u.text, max_words=10)
        if not _is_action(u.text):
            # Not something they would do ("last night i couldn't sleep"): reflect it, then offer one small
            # option once; never read a statement back as a plan.
            ref = reflect_line(self.p, u.text, u.emotions, max_words=10)
            lead = [ref] if ref.real else [self.p.pick("ack", ["Okay.", "Thank you."])]
            if self._next_tries == 0:
                self._next_tries = 1
                idea = self._small_option()
                self.ctx.notes["next_step_idea"] = idea
                return self._out(Step([*lead, f"One small option is {idea}.", self.p.pick("option_q", [
                    "Would that work, or is there something else?", "Could you try that, or something else?"])],
                    reflect=ref.real, suggest=True))
            return self._ask_feedback([*lead, "We can leave the next step for now."])
        self.next_step = w if w and is_safe(w) else None
        lead = f"So, {w}. That sounds doable." if self.next_step else "Okay."
        return self._ask_feedback([lead])

    def _small_option(self) -> str:
        said = (self.topic + " " + " ".join(t for s, t in self.history if s == "caller")).lower()
        if _SLEEP_WORDS.search(said):
            return "a wind-down hour before bed tonight"
        if self.ctx.notes.get("next_step_idea"):
            return self.ctx.notes["next_step_idea"]
        return "a short walk, or ten quiet minutes for yourself, this evening"

    def _ask_feedback(self, lead: list) -> Reply:
        self._closing_round = True
        self.state = "feedback"
        self._expect = {}
        return self._out(Step([*lead, self.p.pick("feedback_q", ["How was this call for you?",
                                                                 "Before we finish, how has talking today felt?"])]))

    def _state_feedback(self, u: Understanding) -> Reply:
        if u.mumble:
            return self._miss(u)
        if _END_SIGNAL.search(u.text):
            return self._close(lead=self.p.pick("fb_end", ["Thank you for talking with me.", "Okay."]))
        if self._new_content(u):
            # Not about the call: they are still talking. Reflect it and offer to carry on; never hang up.
            return self._offer_more(u)
        good = any(e in ("good", "okay") for e in u.emotions) or u.intent in ("thanks", "yes")
        lead = self.p.pick("fb_good", ["I'm glad it helped.", "Thank you, that's good to hear."]) if good else \
            self.p.pick("fb_other", ["Thank you for telling me.", "Thanks for being honest about that."])
        if self.memory is not None and self.caller_key and self.next_step:
            self.state = "remember"
            self._expect = {"yes_no": True}
            return self._out(Step([lead, "Would you like me to remember your next step for next time you call?"],
                                  yes_no=True))
        return self._anything_else([lead])

    def _new_content(self, u: Understanding) -> bool:
        """Words that carry something new (a story, not a verdict on the call)."""
        if u.answer is not None or u.intent in ("thanks",) or u.words < 5:
            return False
        if _FEEDBACK.search(u.text) and u.words <= 8:
            return False
        return reflect_line(self.p, u.text, u.emotions, max_words=10).real

    def _offer_more(self, u: Understanding) -> Reply:
        self.state = "anything_else"
        self._carry_on = u
        self._expect = {"yes_no": True}
        return self._out(Step([reflect_line(self.p, u.text, u.emotions, max_words=10), self.p.pick("more_q", [
            "Would you like to talk about that a bit more?", "Shall we stay with that for a while?"])],
            reflect=True, yes_no=True))

    def _anything_else(self, lead: list) -> Reply:
        """Only the caller ends a call: ask, and close on a clear no (or a goodbye)."""
        self.state = "anything_else"
        self._carry_on = None
        self._expect = {"yes_no": True}
        return self._out(Step([*lead, self.p.pick("else_q", ["Is there anything else on your mind before we finish?",
                                                             "Is there anything else you'd like to talk about?"])],
                              yes_no=True))

    def _state_anything_else(self, u: Understanding) -> Reply:
        if u.mumble:
            return self._miss(u)
        if _END_SIGNAL.search(u.text) or (u.answer == "no" and u.words <= 5):
            return self._close(lead=self.p.pick("else_no", ["Okay.", "Alright."]))
        self.misses = 0
        if u.answer in ("yes", "maybe", "dont_know") and u.words <= 4:
            heard, self._carry_on = self._carry_on, None
            if heard is not None:
                # Yes to talking more about what they just said (already reflected): ask about it.
                t = FLOWS["reflect"](self.ctx)
                t.stage = 1
                self.ctx.notes.setdefault("topic", own_words(heard.text, max_words=10))
                self.technique, self.state, self._expect = t, "technique:reflect", {}
                return self._out(t.keep(Step([self.p.pick("else_yes", ["Okay.", "Sure."]),
                                              self.p.pick("open_q", OPEN_QUESTIONS)])), meta={"flow": "reflect"})
            return self._start_flow("reflect", u, requested=True)
        return self._start_flow("reflect", u, requested=False, heard=u)

    def _state_remember(self, u: Understanding) -> Reply:
        if u.answer == "yes":
            mem.remember(self.memory, self.caller_key, next_step=self.next_step, mood=self.mood)
            return self._anything_else(["Okay, I'll remember it."])
        if u.answer in ("no", "dont_know", "maybe"):
            mem.forget(self.memory, self.caller_key)
            return self._anything_else(["Okay, I won't keep it."])
        return self._miss(u)

    def _state_safety(self, u: Understanding) -> Reply:  # safety flow finished; back to listening
        self.state = "checkin"
        return self._state_checkin(u)

    # -- flows ------------------------------------------------------------------------------------------

    def _requested_flow(self, u: Understanding) -> str | None:
        if not _REQUEST.search(u.text):
            return None
        flow = _keyword_flow(u.text)
        if flow in ("reflect", "waiting_list", "sleep", "problem_solving", "thought_record", "worry", "screening"):
            # these words also turn up in ordinary stories ("i'm waiting for therapy"): only explicit requests
            if not re.search(r"\b(?:can we|could we|let's|lets|i'd like to|i would like to|do (?:some|the|a))\b",
                             u.text):
                return None
        return flow

    def _start_flow(self, flow: str, u: Understanding, *, requested: bool, heard: Understanding | None = None,
                    lead_in: list | None = None) -> Reply:
        self.misses = 0
        t = FLOWS[flow](self.ctx)
        self.technique = t
        self.state = "technique:" + flow
        lead: list = []
        if not self.reflected:
            if requested and u.words <= 12:
                lead = [self.p.pick("req_reflect", ["So you'd like to try {n}.", "You'd like some help with {n}."],
                                    n=FLOW_NAMES[flow])]
            else:
                lead = [reflect_line(self.p, u.text, u.emotions)]
        if heard is not None and flow == "reflect":
            # They are already talking: listen to that rather than asking what's on their mind.
            step = t.handle(heard)
            if step is None or step.done:
                step = t.start()
        else:
            step = t.start()
        self._expect = {"number": step.expect_number, "keywords": step.keywords, "options": step.options}
        if lead_in:
            lead = [*lead_in, *lead]
        return self._out(Step([*lead, *step.parts], reflect=bool(lead) or step.reflect, suggest=True,
                              expect_number=step.expect_number), meta={"flow": flow})

    # -- repair -----------------------------------------------------------------------------------------

    def _miss(self, u: Understanding) -> Reply:
        """Not understood. Rephrase once; after two misses, change approach."""
        self.misses += 1
        if self.technique is not None:
            if self.misses >= 2 and self._said_something(u) or self.misses >= 3:
                # Two misses with real words (or three of any kind): they are telling us something else.
                # Follow them, in their words, instead of asking the exercise's question again.
                return self._leave_exercise(u)
            if self._said_something(u) and self.technique.last is not None:
                ref = reflect_line(self.p, u.text, u.emotions, max_words=10)
                last = self.technique.reprompt(1)
                step = Step([ref, *last.parts[1:]], reflect=True, expect_number=last.expect_number,
                            keywords=last.keywords, options=last.options, yes_no=last.yes_no)
                self._expect = {"number": step.expect_number, "keywords": step.keywords, "options": step.options}
                return self._out(step, meta={"misses": self.misses})
            step = self.technique.reprompt(self.misses)
            self._expect = {"number": step.expect_number, "keywords": step.keywords, "options": step.options}
            return self._out(step, meta={"misses": self.misses})
        if self.state == "consent":
            if self.misses >= 2:
                return self._out(Step(["Let me make it simple.",
                                       "Say yes to talk with me, or say person to talk to a human."]),
                                 meta={"misses": self.misses})
            return self._out(Step([self.p.pick("miss", ["Sorry, I didn't catch that.", "Sorry, I missed that."]),
                                   "Would you like to carry on talking with me?"]), meta={"misses": self.misses})
        if self.state == "mood" and self.misses >= 3:
            # Still no number: never ask the same thing a fourth time. Move on without one.
            self.misses = 0
            return self._offer_focus([self.p.pick("no_number", ["That's okay, we don't need a number.",
                                                                "Let's leave the number."])], u)
        if self.state == "mood":
            if self.misses >= 2:
                self._expect = {"keywords": {"3": ("low", "bad", "down", "rubbish", "awful"),
                                             "5": ("middling", "medium", "okay", "so so", "alright", "in between"),
                                             "7": ("good", "fine", "great", "well")}, "number": True}
                return self._out(Step(["Let's try it another way.", "Would you say your mood is low, middling, or good?"]),
                                 meta={"misses": self.misses})
            return self._out(Step([self.p.pick("miss", ["Sorry, I didn't catch that.", "Sorry, I missed that."]),
                                   "What number from nought to ten fits your mood?"], expect_number=True),
                             meta={"misses": self.misses})
        if self.state == "focus":
            if self.misses >= 2:
                return self._start_flow("reflect", u, requested=True)
            a, b = (FLOW_NAMES[f] for f in self.offered[:2])
            return self._out(Step([self.p.pick("miss", ["Sorry, I didn't catch that.", "Sorry, I missed that."]),
                                   f"Would you like {a}, {b}, or just to talk?"]), meta={"misses": self.misses})
        if self.state in ("safety",) or self.safety.flow:
            last_q = self.last.text if self.last else ""
            if self.misses >= 2:
                return self._out(Step(["Let me ask it simply.", "Are you safe right now, yes or no?"]),
                                 meta={"misses": self.misses}) if self.safety.flow != "plan" else \
                    self._out(Step(["That's okay. We can skip that one.", "Would you like a person now, yes or no?"]),
                              meta={"misses": self.misses})
            q = last_q[last_q.rfind(". ", 0, last_q.find("?")) + 2:] if "?" in last_q else "Could you say that again?"
            return self._out(Step(["Sorry, I didn't quite catch that.", q]), meta={"misses": self.misses})
        if self.state == "checkin" and self.misses == 1:
            return self._out(Step([self.p.pick("okay", ["Okay.", "Alright."]),
                                   self.p.pick("checkin_again", ["In a few words, what's been happening for you?",
                                                                 "What's been hardest for you lately?"])]),
                             meta={"misses": self.misses})
        if self.misses >= 3:
            # A third miss: change approach again rather than repeat the yes-or-no question.
            return self._out(Step([self.p.pick("miss3", ["That's alright, there's no rush.",
                                                         "It's okay if it's hard to say."]),
                                   "You can ask for a person any time.",
                                   self.p.pick("miss3_q", ["What's on your mind right now?",
                                                           "What would help most right now?"])]),
                             meta={"misses": self.misses})
        if self.misses >= 2:
            return self._out(Step(["Let me put it another way.", "Would you like to keep talking, yes or no?"]),
                             meta={"misses": self.misses})
        return self._out(Step([self.p.pick("miss", ["Sorry, I didn't catch that.", "Sorry, I missed that."]),
                               "Could you say it another way?"]), meta={"misses": self.misses})

    def _said_something(self, u: Understanding) -> bool:
        return u.words >= 4 and not u.mumble and reflect_line(self.p, u.text, u.emotions, max_words=10).real

    def _leave_exercise(self, u: Understanding) -> Reply:
        name = self.technique.name if self.technique is not None else ""
        self.technique = None
        self.misses = 0
        lead = self.p.pick("aside", ["Let's put the exercise aside.", "Let's leave the exercise there for now."])
        if name != "reflect" and self._said_something(u):
            return self._start_flow("reflect", u, requested=False, heard=u, lead_in=[lead])
        self.state = "checkin"
        return self._out(Step([lead, self.p.pick("miss3", ["That's alright, there's no rush.",
                                                           "It's okay if it's hard to say."]),
                               self.p.pick("miss3_q", ["What's on your mind right now?",
                                                       "What would help most right now?"])]),
                         meta={"misses": 3})

    def _again(self, *, slow: bool) -> Reply:
        last = self.last
        assert last is not None
        leads = (["Of course, I'll slow down.", "Sure, more slowly this time."] if slow else
                 ["Sure.", "Of course.", "Okay, again."])
        lead = self.p.pick("slow" if slow else "repeat", leads)
        # the last reply, sentence by sentence (pauses kept in place), without its own "Sure." lead
        body: list = []
        for x in last.parts:
            if isinstance(x, str):
                body += [s for s in _SENTENCE.split(x) if s and s not in _AGAIN_LEADS]
            else:
                body.append(x)
        # Fit forty words by design: a shorter lead first, then drop lead-in sentences (never the
        # question, never words next to a pause), so the repeat is never cut mid-sentence.
        if _spoken_words([lead, *body]) > MAX_WORDS:
            first = next((x for x in last.parts if isinstance(x, str)), "")
            lead = next(x for x in (["Slower now.", "Okay, slowly."] if slow else ["Sure.", "Okay."])
                        if not first.startswith(x))
        while _spoken_words([lead, *body]) > MAX_WORDS:
            i = next((i for i, x in enumerate(body) if isinstance(x, str) and "?" not in x
                      and not _next_to_pause(body, i)), None)
            if i is None:
                break
            del body[i]
        reply = self._out(Step([lead, *body]), meta={"repeat": True}, force_slow=slow)
        reply.end_call = last.end_call
        return reply

    # -- ending -----------------------------------------------------------------------------------------

    def _closing(self) -> str:
        return self.p.pick("closing", CLOSINGS, crisis=self.ctx.crisis)

    def _close(self, lead: str | None = None) -> Reply:
        self.state = "closed"
        self.technique = None
        parts = ([lead] if lead else []) + [self._closing()]
        return self._out(Step(parts), end=True)

    # -- output -----------------------------------------------------------------------------------------

    def _out(
        self,
        step: Step,
        *,
        end: bool = False,
        human: bool = False,
        delete: bool = False,
        disclosure: bool = False,
        meta: dict | None = None,
        force_slow: bool = False,
    ) -> Reply:
        if step.suggest and not (self.reflected or step.reflect) and self._last_u is not None:
            # Never suggest before reflecting: reflect what the caller last said first.
            lu = self._last_u
            line = reflect_line(self.p, lu.text, lu.emotions, max_words=8)
            if line.real:
                step = Step([line, *step.parts], **{k: v for k, v in step.__dict__.items() if k != "parts"})
                step.reflect = True
        step.parts = _fit_reflections(self.p, step.parts)
        refl = [x for x in step.parts if isinstance(x, Reflection)]
        if step.reflect and refl and not any(x.real for x in refl):
            step.reflect = False  # only a plain "thank you": nothing of theirs was said back
        report: dict = {}
        parts = _polish(step.parts, report)
        if step.reflect:
            self.reflected = True
        text = " ".join(x for x in parts if isinstance(x, str))
        if self.last is not None and text == self.last.text:
            parts = [self.p.pick("vary", ["Let me ask again.", "Once more."]), *parts]
            parts = _polish(parts, report)
        if self.ctx.slow or force_slow:
            parts = _slowed(parts)
        if step.expect_number:
            self._expect = {**self._expect, "number": True}
        m = {"reflect": step.reflect, "suggest": step.suggest, "state": self.state, "disclosure": disclosure}
        asked = asked_in(" ".join(x for x in parts if isinstance(x, str)))
        if asked:
            m["asked"] = asked  # the call loop hands the next turn to CallRiskState.answer(asked, text)
        if meta:
            m.update(meta)
        if report:
            m["trimmed"] = True  # the forty-word net had to cut: a reply not written to fit (tests look for it)
        reply = Reply(parts=parts, state=self.state, end_call=end, wants_human=human or step.human,
                      delete_request=delete, meta=m)
        self.last = reply
        self.history.append(("line", reply.text))
        return reply


_RATING_WORDS = re.compile(r"\b(?:(?:about|around|maybe|like|probably|i'd say|i would say|say)\s+)?(?:an?\s+)?"
                           r"(?:\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|sex)"
                           r"(?:\s+or\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten))?"
                           r"(?:\s+out\s+of\s+(?:ten|10))?\b")


def _without_rating(text: str) -> str:
    """The caller's words with a mood rating taken out ("about a four, work is awful" -> "work is awful")."""
    if not re.search(r"\b(?:out of (?:ten|10)|about|around|maybe|a|an)\s", text + " ") and len(text.split()) > 2:
        return text
    return re.sub(r"\s+", " ", _RATING_WORDS.sub(" ", text)).strip(" ,.")


def _is_action(text: str) -> bool:
    """Something the caller would do ("i'll call my sister", "a walk", "write it down tonight"), not a
    statement about how things are ("last night i couldn't sleep", "when i get home i sit on the couch")."""
    t = text.lower().strip()
    return bool(_ACTION.search(t)) or not _STATEMENT.match(t)


def _keyword_flow(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for flow, words in FLOW_KEYWORDS.items():
        for w in words:
            m = re.search(r"\b" + re.escape(w) + r"\b", text)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), flow)
    return best[1] if best else None


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_AGAIN_LEADS = {"Sure.", "Of course.", "Okay, again.", "Of course, I'll slow down.", "Sure, more slowly this time.",
                "Slower now.", "Okay, slowly.", "Okay.", "Let me ask again.", "Once more.",
                "Sorry, I didn't catch that.", "Sorry, I missed that.", "Sorry, I didn't quite catch that.",
                "I missed that, sorry.", "Sorry, that didn't come through clearly."}


def _next_to_pause(parts: list, i: int) -> bool:
    return any(0 <= j < len(parts) and isinstance(parts[j], Pause) for j in (i - 1, i + 1))


def _spoken_words(parts: list) -> int:
    return word_count(" ".join(str(x) for x in parts if isinstance(x, str)))


def _fit_reflections(p: Phraser, parts: list) -> list:
    """Fit forty spoken words by design: say a reflection in fewer of the caller's words rather than
    cut a sentence (or an exercise) short later."""
    parts = list(parts)
    while _spoken_words(parts) > MAX_WORDS:
        i = next((i for i, x in enumerate(parts) if isinstance(x, Reflection) and x.real and x.source
                  and x.source[2] > 4), None)
        if i is None:
            break
        short = shorter(p, parts[i])
        if short is None or not short.real:
            break
        parts[i] = short
    if _spoken_words(parts) > MAX_WORDS:
        # still too long (a long fixed question such as PHQ-2 after a reflection that cannot shrink): a short
        # acknowledgement instead of a reflection cut mid-clause by the forty-word net
        parts = ["I hear you." if isinstance(x, Reflection) else x for x in parts]
    return parts


def _polish(parts: list, report: dict | None = None) -> list:
    """Spoken-form numbers, one question at most, forty words at most, nothing unsafe. Replies are
    written to fit forty spoken words (pauses are not words); trimming here is only a safety net, and
    ``report["trimmed"]`` says when it had to act, so tests can catch a reply that was not written to fit."""
    out: list = []
    sentence_start = True
    for x in parts:
        if isinstance(x, Pause):
            out.append(x)
            continue
        t = tidy(str(x), capitalise=sentence_start)
        sentence_start = t.rstrip().endswith((".", "?", "!")) if t else sentence_start
        if not t:
            continue
        if not is_safe(t):
            t = "Thank you for telling me that."
        out.append(t)
    # at most one question: keep the last one, turn earlier ones into statements
    q_seen = False
    for i in range(len(out) - 1, -1, -1):
        if isinstance(out[i], str) and "?" in out[i]:
            s = out[i]
            if q_seen:
                s = s.replace("?", ".")
            else:
                head, _, tail = s.rpartition("?")
                s = head.replace("?", ".") + "?" + tail
                q_seen = True
            out[i] = s
    # at most forty words: drop whole middle sentences, never the first or the question
    while word_count(" ".join(x for x in out if isinstance(x, str))) > MAX_WORDS:
        if report is not None:
            report["trimmed"] = True
        strs = [i for i, x in enumerate(out) if isinstance(x, str)]
        if len(strs) <= 2:
            i = strs[0]
            sentences = _SENTENCE.split(out[i])
            if len(sentences) > 1:
                out[i] = " ".join(sentences[:-1]) if "?" not in sentences[-1] else " ".join(sentences[1:])
                continue
            words = out[i].split()
            excess = word_count(" ".join(x for x in out if isinstance(x, str))) - MAX_WORDS
            out[i] = " ".join(words[: max(1, len(words) - excess)]).rstrip(",") + "."
            break
        del out[strs[-2] if len(strs) > 2 else strs[0]]
    return out


def _slowed(parts: list) -> list:
    """Slow speech: a short real pause after every sentence."""
    out: list = []
    for x in parts:
        if isinstance(x, str):
            sentences = _SENTENCE.split(x)
            for j, s in enumerate(sentences):
                out.append(s)
                if j < len(sentences) - 1:
                    out.append(Pause(0.6))
            out.append(Pause(0.6))
        else:
            out.append(x)
    while out and isinstance(out[-1], Pause) and out[-1].seconds == 0.6:
        out.pop()
    return out
