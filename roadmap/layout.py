"""The roadmap drawn as a map: milestones as lanes (columns), steps as nodes in plan order, and an
edge from each step's prerequisite step to it. Plain geometry for ``templates/roadmap/_map.html``
(server-rendered SVG; no script draws it)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import RoadmapStep
from .planner import Matrix

LANE_WIDTH, NODE_WIDTH, NODE_HEIGHT, ROW = 270, 224, 44, 56
TOP, PAD = 56, 56  # PAD leaves room on the left for the curves between steps of one lane
LABEL_CHARS = 24  # bold 13 px text within a node


@dataclass(frozen=True)
class MapNode:
    step: RoadmapStep | None  # None: the lane's "find out" node
    x: int
    y: int
    label: str
    detail: str
    status: str
    count: int = 0  # competencies to find out

    @property
    def text_x(self) -> int:
        return self.x + 10

    @property
    def middle(self) -> int:
        return self.y + NODE_HEIGHT // 2


@dataclass(frozen=True)
class MapLane:
    name: str
    x: int

    @property
    def title_x(self) -> int:
        return self.x + NODE_WIDTH // 2


@dataclass(frozen=True)
class RoadmapMap:
    lanes: list[MapLane]
    nodes: list[MapNode]
    edges: list[str]  # SVG path data, prerequisite -> step
    width: int
    height: int
    node_width: int = NODE_WIDTH
    node_height: int = NODE_HEIGHT


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _edge(source: MapNode, target: MapNode) -> str:
    if source.x == target.x:  # same lane: a curve out to the left of the nodes
        bulge = source.x - 10 - min(PAD - 16, (target.y - source.y) // 8)
        return (
            f"M{source.x} {source.middle} C{bulge} {source.middle} {bulge} {target.middle} {target.x} {target.middle}"
        )
    start, end = source.x + NODE_WIDTH, target.x
    middle = (start + end) // 2
    return f"M{start} {source.middle} C{middle} {source.middle} {middle} {target.middle} {end} {target.middle}"


def roadmap_layout(steps: list[RoadmapStep], *, matrix: Matrix) -> RoadmapMap:
    """Lay out the roadmap's steps (plan order) as lanes, nodes and prerequisite edges."""
    lanes: list[MapLane] = []
    nodes: list[MapNode] = []
    rows: list[int] = []
    placed: dict[int, list[tuple[int, MapNode]]] = {}  # competency -> (lane, node), lanes ascending
    find_out: dict[int, int] = {}
    for step in sorted(steps, key=lambda s: s.position):
        if not lanes or lanes[-1].name != step.milestone.name:
            lanes.append(MapLane(name=step.milestone.name, x=PAD + LANE_WIDTH * len(lanes)))
            rows.append(0)
        lane = len(lanes) - 1
        if step.finds_out:
            find_out[lane] = find_out.get(lane, 0) + 1
            continue
        node = MapNode(
            step=step,
            x=lanes[lane].x,
            y=TOP + ROW * (rows[lane] + (1 if lane in find_out else 0)),
            label=_short(step.competency.name),
            detail=f"{step.from_proficiency} → {step.to_proficiency} · {step.get_status_display().lower()}",
            status=step.status,
        )
        rows[lane] += 1
        nodes.append(node)
        placed.setdefault(step.competency_id, []).append((lane, node))
    for lane, count in find_out.items():
        label = f"Find out: {count} competenc{'y' if count == 1 else 'ies'}"
        nodes.insert(
            0,
            MapNode(
                step=None, x=lanes[lane].x, y=TOP, label=label, detail="not assessed yet", status="assess", count=count
            ),
        )
        rows[lane] += 1
    edges = []
    for node in nodes:
        if node.step is None:
            continue
        lane = next(i for i, candidate in enumerate(lanes) if candidate.x == node.x)
        competency = matrix.competencies.get(node.step.competency_id)
        for prereq in competency.prerequisites if competency else ():
            before = [
                n for lane_of, n in placed.get(prereq, []) if lane_of < lane or (lane_of == lane and n.y < node.y)
            ]
            if before:
                edges.append(_edge(before[-1], node))
    height = TOP + ROW * max(rows, default=0) + PAD
    width = PAD + LANE_WIDTH * len(lanes) - (LANE_WIDTH - NODE_WIDTH) + 12
    return RoadmapMap(lanes=lanes, nodes=nodes, edges=edges, width=width, height=height)
