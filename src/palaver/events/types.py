"""The event types that Palaver's world and mechanisms emit.

Each type documents the keys of its ``payload``. Payloads hold plain data only
(``None``, bool, int, float, str, tuples, lists and dicts of those). Outcomes
are tuples in issue order (immutable, so carried without a copy; JSON arrays
once recorded), or lists when an issue's values are not plain scalars. Fields
shared by every event (run id, sequence number, step, time, agent,
negotiation, contract) live on :class:`~palaver.events.Event` itself, not in
the payload.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    """Every event type the framework emits. User events use any other string.

    Payload keys per type (``agent_id`` / ``negotiation_id`` / ``contract_id`` are
    the event's own fields):

    - ``simulation_start``: ``world`` (class name), ``name``, ``seed``, ``n_steps``,
      ``agents`` (list of ids).
    - ``simulation_end``: ``status`` (``completed`` / ``interrupted`` /
      ``timed_out`` / ``error``), ``final_step``.
    - ``step_start`` / ``step_end``: ``{}`` (the step is on the event).
    - ``negotiation_requested``: ``request_id``, ``initiator``, ``partners``,
      ``issues`` (names), ``mechanism``, ``annotation``; ``agent_id`` is the initiator.
    - ``negotiation_accepted`` / ``negotiation_rejected``: ``request_id``,
      ``by`` (the partner ids that accepted or rejected; ``None`` when the world
      itself refused, e.g. over a quota), ``reason`` (str or None).
    - ``negotiation_started``: ``mechanism`` (class name), ``negotiators`` (ids),
      ``agents`` (ids, or None outside a world), ``n_steps``, ``time_limit``,
      ``issues`` (names); a world's ``META_NEGOTIATION`` renegotiation of a
      breached contract adds ``renegotiation`` (``True``) and ``renegotiation_of``
      (the contract id), here and in its ``negotiation_ended`` (it was never
      requested: count it apart from the negotiations).
    - ``offer``: ``round``, ``negotiator``, ``outcome`` (tuple).
    - ``response``: ``round``, ``negotiator``, ``response`` (``accept`` /
      ``reject`` / ``end`` / ``no_response`` / ``leave``: the negotiator left,
      the others may go on), ``offer`` (the outcome responded to, tuple or None).
    - ``negotiation_ended``: ``result`` (``agreement`` / ``failure`` / ``timeout``
      / ``error`` / ``cancelled``), ``agreement`` (tuple or None), ``rounds``,
      ``error`` (str or None); ``renegotiation`` / ``renegotiation_of`` as in
      ``negotiation_started``.
    - ``contract_concluded`` / ``contract_signed`` / ``contract_cancelled`` /
      ``contract_executed`` / ``contract_nullified`` / ``contract_erred`` /
      ``contract_unexecuted``: ``partners``, ``agreement`` (dict by issue name),
      ``signed_at``, ``to_be_signed_at``, ``reason`` (all but concluded, signed
      and executed). A signed contract ends executed, breached, nullified (the
      world's ``start_contract_execution`` returned ``None``), erred (its
      execution raised) or unexecuted (never due before the run ended); an
      unsigned one ends cancelled.
    - ``contract_breached``: ``breaches`` (list of dicts with ``perpetrator``,
      ``type``, ``level``, ``victims``).
    - ``breach_resolved``: ``resolution`` (agreement dict or None), ``how``.
    - ``action``: ``action`` (type name), ``params``, ``success``.
    - ``message``: ``message``, ``recipient_ids``; the data of a negotiator's
      NegMAS-style reply adds ``round``, ``negotiator``, ``about`` and ``data``.
    - ``state_change``: ``changes`` (field -> ``{"old": ..., "new": ...}``).
    - ``exception``: ``where``, ``exception`` (type name), ``message``,
      ``traceback``.
    - ``checkpoint``: ``path``.
    - ``stats``: the per-step statistics as name -> value.
    """

    SIMULATION_START = "simulation_start"
    SIMULATION_END = "simulation_end"
    STEP_START = "step_start"
    STEP_END = "step_end"
    NEGOTIATION_REQUESTED = "negotiation_requested"
    NEGOTIATION_ACCEPTED = "negotiation_accepted"
    NEGOTIATION_REJECTED = "negotiation_rejected"
    NEGOTIATION_STARTED = "negotiation_started"
    NEGOTIATION_ENDED = "negotiation_ended"
    OFFER = "offer"
    RESPONSE = "response"
    CONTRACT_CONCLUDED = "contract_concluded"
    CONTRACT_SIGNED = "contract_signed"
    CONTRACT_CANCELLED = "contract_cancelled"
    CONTRACT_EXECUTED = "contract_executed"
    CONTRACT_NULLIFIED = "contract_nullified"
    CONTRACT_ERRED = "contract_erred"
    CONTRACT_UNEXECUTED = "contract_unexecuted"
    CONTRACT_BREACHED = "contract_breached"
    BREACH_RESOLVED = "breach_resolved"
    ACTION = "action"
    MESSAGE = "message"
    STATE_CHANGE = "state_change"
    EXCEPTION = "exception"
    CHECKPOINT = "checkpoint"
    STATS = "stats"
