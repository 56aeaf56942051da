"""What the line says when the safety layer raises a flag. The dialogue never judges risk: it follows
the ``Decision`` it is given (safety.types) and the escalation policy in docs/architecture.md.

- check_in (low): a gentle check-in, the offer of a person, and the C-SSRS screener's follow-up questions
  (thoughts, whether they have thought about how, intent), asked one at a time and never about details.
- offer_human (moderate): a strong offer of a person and the crisis line, then the Stanley-Brown safety
  plan one step at a time (warning signs, coping, distraction, people, professionals, a safer space).
- warm_transfer / emergency_guidance (high, imminent): words that a person is being brought in; the
  transfer manager (safety/transfer) decides everything after that.
- walked_back: a gentle check that keeps the door open; the call's level stays where it was.
"""

from __future__ import annotations

from dialogue.phrasing import Phraser, is_safe, own_words
from dialogue.techniques.base import Ctx, Step
from dialogue.types import Pause
from dialogue.understanding import Understanding
from safety.types import Action, Decision, Kind

ACTION_RANK = {Action.CONTINUE: 0, Action.CHECK_IN: 1, Action.OFFER_HUMAN: 2, Action.WARM_TRANSFER: 3,
               Action.EMERGENCY_GUIDANCE: 4}

# C-SSRS screener follow-ups, plain and gentle (Posner et al.; Columbia Lighthouse Project wording, eased).
CSSRS = {
    "thoughts": "Have you been having thoughts of ending your life?",
    "method": "Have you thought about how you might do it?",
    "intent": "Have you had any intention of acting on these thoughts?",
}
# What each question is called when the dialogue tells the safety layer it asked it (Reply.meta["asked"]):
# the caller's next words are then read as the answer (safety/cssrs.py), so a bare "yes" is not lost.
ASKED = {
    "thoughts of ending your life": "cssrs:ideation",
    "thought about how": "cssrs:method",
    "intention of acting": "cssrs:intent",
    "are you safe": "safety:safe_now",
}


def asked_in(text: str) -> str | None:
    """The screening question a reply asks, if any (only the question sentence counts)."""
    if "?" not in text:
        return None
    q = text[: text.rindex("?")]
    q = q[max(q.rfind(". "), q.rfind("! ")) + 1:].lower()
    for words, key in ASKED.items():
        if words in q:
            return key
    return None


HOLD_TALK = [
    ["I'm still here with you. A person is on their way."],
    ["You're doing the right thing by staying on the line."],
    ["Let's breathe together while we wait. In,", Pause(4.0), "and out.", Pause(5.0)],
    ["Someone will be with you soon. I'm not going anywhere."],
    ["If you can, notice your feet on the floor. I'm right here."],
    ["Thank you for waiting with me. Help is coming."],
    ["Stay with me. A person will pick up very soon."],
]
PLAN_STEPS = [
    ("signs", "What are the signs that things are starting to get harder for you?"),
    ("coping", "What's something you can do on your own that helps, even a little?"),
    ("distract", "Is there a person or a place that helps take your mind off things?"),
    ("people", "Who is someone you could reach out to and ask for help?"),
    ("pros", "Is there a doctor or a service you're in touch with?"),
    ("space", "Could you make your space safer today, like asking someone to look after anything you might "
              "use to hurt yourself?"),
]


class SafetyMode:
    """One call's safety conversation. ``flow`` is None when nothing is running."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.p: Phraser = ctx.p
        self.handled = 0  # highest action rank already answered
        self.flow: str | None = None  # "check_in" | "plan_offer" | "plan" | "transfer"
        self.stage = 0
        self.kind = Kind.NONE
        self.plan: dict[str, str] = {}
        self.yes_to: list[str] = []

    # -- entering ------------------------------------------------------------------------------------

    def needs(self, decision: Decision | None) -> bool:
        """True when this decision asks for more than has been answered so far."""
        return decision is not None and ACTION_RANK[decision.action] > self.handled

    def enter(self, decision: Decision) -> Step:
        self.handled = max(self.handled, ACTION_RANK[decision.action])
        self.kind = decision.kind
        if decision.action in (Action.WARM_TRANSFER, Action.EMERGENCY_GUIDANCE):
            return self.transfer(decision)
        if decision.action == Action.OFFER_HUMAN:
            return self._offer_plan()
        return self._check_in()

    def deepen(self, decision: Decision) -> Step | None:
        """A moderate decision in the middle of the C-SSRS follow-ups (they said yes to "how"): finish
        the screener with the intent question before the strong offer of a person, rather than skip it."""
        if decision.action != Action.OFFER_HUMAN or self.flow != "check_in" or self.stage not in (0, 1):
            return None
        self.handled = max(self.handled, ACTION_RANK[Action.OFFER_HUMAN])
        self.yes_to = ["thoughts", "method"]
        self.stage = 2
        return Step([self.p.pick("ci_ack", ["Thank you.", "Okay, thank you for telling me."]),
                     "I'd like you to talk with a person about this, and I can bring one in.",
                     "Can I also ask, " + CSSRS["intent"][0].lower() + CSSRS["intent"][1:]], yes_no=True)

    def transfer(self, decision: Decision) -> Step:
        self.flow = "transfer"
        lead = self.p.pick("tx_lead", ["I'm really glad you told me.", "Thank you for telling me.",
                                       "I hear you, and I'm glad you said it."])
        if decision.action == Action.EMERGENCY_GUIDANCE:
            return Step([lead, "I'm bringing a person in right now to help you.",
                         "Please stay on the line with me. You're not alone."])
        return Step([lead, "I'm bringing in a person to talk with you now.", "Please stay on the line with me."])

    def _check_in(self) -> Step:
        self.flow, self.stage, self.yes_to = "check_in", 0, []
        lead = self.p.pick("ci_lead", ["That sounds really heavy, and I'm glad you told me.",
                                       "Thank you for telling me. That sounds really painful."])
        offer = "You can talk with a person here at any time, just say so."
        if self.kind == Kind.SUICIDE:
            return Step([lead, offer, CSSRS["thoughts"]], yes_no=True)
        self.stage = 10  # not about suicide: one question about safety right now
        return Step([lead, offer, "Are you safe right now?"], yes_no=True)

    def _offer_plan(self) -> Step:
        self.flow, self.stage = "plan_offer", 0
        return Step([self.p.pick("oh_lead", ["Thank you for trusting me with that.", "I'm really glad you told me."]),
                     "I'd like you to talk with a person about this, and I can bring one in now.",
                     f"You can also call {self.ctx.crisis} any time. Shall I get someone?"], yes_no=True)

    # -- continuing ----------------------------------------------------------------------------------

    def handle(self, u: Understanding) -> Step | None:
        """Next step of a running flow; None when the turn was not understood."""
        if self.flow == "check_in":
            return self._check_in_turn(u)
        if self.flow == "plan_offer":
            if u.answer == "yes":
                return self._want_human()
            if u.unclear:
                return None
            lead = "Okay." if u.answer == "no" else self._ack(u)
            if self.kind not in (Kind.SUICIDE, Kind.SELF_HARM, Kind.NONE) and self.stage == 11:
                self.flow = None
                return Step([lead, f"The offer stands. If you're ever in danger, ask for a person here, or call "
                                   f"{self.ctx.crisis}.", "What would help most right now?"])
            if self.kind not in (Kind.SUICIDE, Kind.SELF_HARM, Kind.NONE):
                # Abuse, threats, a medical worry: the suicide safety plan does not fit. Ask about safety now.
                self.flow, self.stage = "check_in", 10
                return Step([lead, f"The offer stands, and {self.ctx.crisis} is there any time.",
                             "Are you safe where you are right now?"], yes_no=True)
            self.flow, self.stage = "plan", 0
            return Step([lead, "Let's make a short plan for staying safe.", PLAN_STEPS[0][1]])
        if self.flow == "plan":
            return self._plan_turn(u)
        if self.flow == "plan_final":
            if u.answer == "yes":
                return self._want_human()
            if u.unclear:
                return None
            self.flow = None
            return Step(["Okay. The offer stands, any time you want it.",
                         self.p.pick("after_plan", ["What would help most for the rest of tonight?",
                                                    "How are you feeling now, after making that plan?"])])
        if self.flow == "transfer":
            return self.transfer_turn(u)
        return None

    def transfer_turn(self, u: Understanding, *, walked_back: bool = False) -> Step:
        """The caller spoke while a person is being brought in: one line of company, said whole (an
        exercise keeps its pauses), and now and then how to reach help if the line drops."""
        if walked_back:
            # They took it back: say so gently, but the person still comes (the flag stays).
            return Step([self.p.pick("tx_wb", ["Okay, thank you for telling me.", "Alright, I hear you."]),
                         self.p.pick("tx_wb2", ["I'd still like you to talk with a person, just to be sure.",
                                                "A person will still come on, just to check in with you."]),
                         "Please stay on the line with me."])
        parts = list(self.hold_talk().parts)
        self.transfer_turns = getattr(self, "transfer_turns", 0) + 1
        if not u.unclear and self.transfer_turns % 2 == 1:
            parts.append(f"If we get cut off, call {self.ctx.crisis}.")
        return Step(parts)

    def _check_in_turn(self, u: Understanding) -> Step | None:
        if u.answer is None and u.unclear:
            return None
        # For safety an unsure answer ("maybe", "kind of", "i don't know") counts as a yes.
        yes = u.answer in ("yes", "maybe", "dont_know") or (u.answer is None and not u.unclear and u.words > 3
                                                            and self.stage < 10)
        if self.stage == 10:  # "are you safe right now?"
            self.flow = None
            if u.answer in ("no", "dont_know", "maybe"):
                self.handled = max(self.handled, 2)
                return self._strong_offer("Thank you for being honest with me.")
            return Step(["I'm glad you're safe right now.",
                         f"If that changes, ask for a person here, or call {self.ctx.crisis}.",
                         "What would help most right now?"])
        if yes:
            self.yes_to.append(["thoughts", "method", "intent"][self.stage])
        if self.stage == 0 and not yes:
            return self._door_open("Thank you for telling me.")
        if self.stage == 0:
            self.stage = 1
            return Step(["Thank you for being honest with me.", CSSRS["method"]], yes_no=True,
                        suggest=False)
        if self.stage == 1:
            self.stage = 2
            return Step([self.p.pick("ci_ack", ["Thank you.", "Okay, thank you for telling me."]), CSSRS["intent"]],
                        yes_no=True)
        # stage 2 answered
        self.flow = None
        if "method" in self.yes_to or "intent" in self.yes_to:
            self.handled = max(self.handled, 2)
            return self._strong_offer("Thank you for answering those.")
        return self._door_open("Thank you for answering those.")

    def _door_open(self, lead: str) -> Step:
        self.flow = None
        return Step([lead, f"If those thoughts get stronger, you can ask for a person here, or call {self.ctx.crisis}.",
                     self.p.pick("door_q", ["What's been making things feel so heavy?",
                                            "What's been going on for you lately?"])])

    def _strong_offer(self, lead: str) -> Step:
        # stage 11: the safety question has been asked already; a second no goes to the plan, not round again
        self.flow, self.stage = "plan_offer", 11 if self.stage == 10 else 0
        return Step([lead, "I'd really like you to talk with a person now, and I can bring one in.",
                     "Shall I get someone for you?"], yes_no=True)

    def _want_human(self) -> Step:
        self.flow = "transfer"
        return Step(["Okay. I'm bringing a person in now.", "Please stay on the line with me."], human=True)

    def _ack(self, u: Understanding) -> str:
        w = own_words(u.text, max_words=8)
        if w and is_safe(w) and u.answer is None:
            return self.p.pick("plan_ack", ["Okay, {w}.", "Thank you. {W}.", "So, {w}."], w=w, W=w[:1].upper() + w[1:])
        return self.p.pick("plan_ack0", ["Okay.", "Thank you.", "That's alright."])

    def _plan_turn(self, u: Understanding) -> Step | None:
        if u.unclear:
            return None
        key = PLAN_STEPS[self.stage][0]
        w = own_words(u.text, max_words=6)
        if w and is_safe(w) and u.answer not in ("no", "dont_know"):
            self.plan[key] = w
        self.stage += 1
        if self.stage < len(PLAN_STEPS):
            q = PLAN_STEPS[self.stage][1]
            if PLAN_STEPS[self.stage][0] == "pros":
                return Step([self._ack(u), f"You can call {self.ctx.crisis} day or night.", q])
            return Step([self._ack(u), q])
        self.flow = "plan_final"
        bits = [self.plan[k] for k in ("coping", "people") if k in self.plan]
        summary = ("So your plan includes " + " and ".join(bits) + ".") if bits else "That's your plan for now."
        return Step([self._ack(u) if u.answer is None else "Okay.", summary,
                     f"And {self.ctx.crisis} is there any time. Would you like me to bring in a person now?"],
                    yes_no=True, keywords=None)

    def hold_talk(self) -> Step:
        i = self.p.rng.randrange(len(HOLD_TALK))
        last = getattr(self, "_last_hold", None)
        if i == last:
            i = (i + 1) % len(HOLD_TALK)
        self._last_hold = i
        return Step(list(HOLD_TALK[i]))

    def walked_back(self) -> Step:
        self.flow = None
        return Step([self.p.pick("wb_lead", ["Okay, thank you for saying so.", "Alright, thanks for letting me know."]),
                     f"If those thoughts ever come back, you can ask for a person here, or call {self.ctx.crisis}.",
                     self.p.pick("wb_q", ["How are you feeling right now?", "How are things for you right now?"])])
