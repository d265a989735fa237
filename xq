{
"metadata": {"simulation_id": "9b0f42e2", "start_time": "2026-12-04T06:02:10.233104+00:00", "model_class": "M", "end_time": "2026-12-04T06:02:10.238051+00:00", "total_steps": 0, "total_events": 5, "total_agents": 2, "duration_minutes": 8.245e-05, "completion_status": "unknown"},
"events": [
{"event_id": "9b0f42e2_000000", "timestamp": "2026-12-04T06:02:10.236051+00:00", "step": 0, "agent_id": 0, "event_type": "offer", "content": {"a":0}, "metadata": null},
{"event_id": "9b0f42e2_000001", "timestamp": "2026-12-04T06:02:10.236055+00:00", "step": 0, "agent_id": 1, "event_type": "offer", "content": {"a":1}, "metadata": null},
{"event_id": "9b0f42e2_000002", "timestamp": "2026-12-04T06:02:10.236056+00:00", "step": 0, "agent_id": 0, "event_type": "offer", "content": {"a":2}, "metadata": null},
{"event_id": "9b0f42e2_000003", "timestamp": "2026-12-04T06:02:10.236058+00:00", "step": 0, "agent_id": 1, "event_type": "offer", "content": {"a":3}, "metadata": null},
{"event_id": "9b0f42e2_000004", "timestamp": "2026-12-04T06:02:10.236059+00:00", "step": 0, "agent_id": 0, "event_type": "offer", "content": {"a":4}, "metadata": null},
{"event_id": "9b0f42e2_000005", "timestamp": "2026-12-04T06:02:10.238112+00:00", "step": 0, "agent_id": null, "event_type": "simulation_end", "content": {"status":"unknown","final_step":0,"total_events":5}, "metadata": {"source":"model"}}
],
"agent_summaries": {
"0": {"total_events":3,"event_types":["offer"],"active_steps":[0],"first_event":"2026-12-04T06:02:10.236051+00:00","last_event":"2026-12-04T06:02:10.236059+00:00"},
"1": {"total_events":2,"event_types":["offer"],"active_steps":[0],"first_event":"2026-12-04T06:02:10.236055+00:00","last_event":"2026-12-04T06:02:10.236058+00:00"}
}
}
