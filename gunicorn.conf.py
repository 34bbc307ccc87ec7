"""gunicorn reads ./gunicorn.conf.py by itself. The access log leaves out the query string (%(q)s),
the request line (%(r)s, which holds it), the referrer (%(f)s, the previous page's query string)
and the user agent: a search or a lookup can put an ID number or a phone number in a URL
(issue 16). The request id is the one RequestLogMiddleware answers with, so an access-log line
and the app's JSON line for the same request can be matched."""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
