"""REDbot's check of one URL, as its command line runs it, with request headers (REDBOT_HEADERS: a JSON list of
[name, value] pairs, kept out of the process list), which the command line cannot send. Prints the HAR."""

import json
import os
import sys
from configparser import ConfigParser

import thor
from redbot.formatter import find_formatter
from redbot.resource import HttpResource

url = sys.argv[1]
headers = [tuple(pair) for pair in json.loads(os.environ.get("REDBOT_HEADERS", "[]"))]
parser = ConfigParser()
parser.read_dict({"redbot": {"enable_local_access": "True"}})
config = parser["redbot"]

resource = HttpResource(config, descend=False)
resource.set_request(url, headers=headers)
formatter = find_formatter("har", "text", False)(config, resource, sys.stdout.write, {"tty_out": False, "descend": False})
formatter.bind_resource(resource)


@thor.events.on(formatter)
def formatter_done() -> None:  # the event's name: thor binds the handler by it
    thor.stop()


resource.check()
thor.run()
