"""The TripsWorld of the world tutorial, its AWI, its ``Person`` base, and two agents."""

from palaver._util.checks import check_int, check_probability
from palaver.examples.trips.agents import Person, RandomPerson, SmartPerson
from palaver.examples.trips.world import TripsAWI, TripsWorld

#: The tutorial's name for the TripsWorld's interface.
AWI = TripsAWI

__all__ = ["AWI", "Person", "RandomPerson", "SmartPerson", "TripsAWI", "TripsWorld", "build_trips"]


def build_trips(
    n_agents: int = 10,
    n_steps: int = 20,
    seed: int | None = None,
    smart_fraction: float = 0.5,
    **kwargs: object,
) -> TripsWorld:
    """A TripsWorld with ``n_agents`` agents, the first ``smart_fraction`` of them
    :class:`SmartPerson` and the rest :class:`RandomPerson`. ``kwargs`` go to the world."""
    n_agents = check_int("n_agents", n_agents)
    if n_agents < 2:
        raise ValueError(f"a TripsWorld needs at least 2 agents; got n_agents={n_agents}")
    smart_fraction = check_probability("smart_fraction", smart_fraction)
    world = TripsWorld(n_steps=n_steps, seed=seed, **kwargs)
    n_smart = round(n_agents * smart_fraction)
    for i in range(n_agents):
        cls = SmartPerson if i < n_smart else RandomPerson
        world.join(cls(id=f"{'smart' if i < n_smart else 'random'}{i:02d}"))
    return world
