"""Pure access-control domain: site facts, credential formats and `decide()`.

Nothing here imports Qt, sockets, SQL or the clock; time is always a parameter.
"""
