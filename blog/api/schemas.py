"""The shapes of the API's answers. Each view dumps its data through one of these, and openapi.py
describes the same classes, so the document and the answers cannot drift apart."""

from marshmallow import Schema, fields


class Author(Schema):
    name = fields.String(required=True, metadata={"description": "the author's display name"})
    url = fields.String(
        required=True, allow_none=True, metadata={"description": "the author's page on the blog, if any"}
    )


class Post(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "the permalink"})
    published = fields.String(required=True, metadata={"description": "ISO 8601, UTC", "format": "date-time"})
    updated = fields.String(required=True, metadata={"description": "ISO 8601, UTC", "format": "date-time"})
    labels = fields.List(fields.String(), required=True)
    html = fields.String(required=True, metadata={"description": "the whole post, sanitized HTML"})
    author = fields.Nested(Author, required=True)
    comment_count = fields.Integer(required=True, metadata={"description": "published comments"})


class Paging(Schema):
    page = fields.Integer(required=True)
    next = fields.String(required=True, allow_none=True, metadata={"description": "URL of the next page"})
    previous = fields.String(
        required=True, allow_none=True, metadata={"description": "URL of the previous page"}
    )


class PostList(Paging):
    posts = fields.List(fields.Nested(Post), required=True)


class Comment(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "where the comment shows on the blog"})
    parent_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "the comment this one replies to"}
    )
    author = fields.Nested(Author, required=True)
    published = fields.String(required=True, metadata={"format": "date-time"})
    updated = fields.String(required=True, metadata={"format": "date-time"})
    html = fields.String(required=True, metadata={"description": "sanitized HTML"})


class CommentList(Paging):
    comments = fields.List(fields.Nested(Comment), required=True)


class StaticPage(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True)
    updated = fields.String(required=True, metadata={"format": "date-time"})
    html = fields.String(required=True)


class PageList(Schema):
    pages = fields.List(fields.Nested(StaticPage), required=True)


class LabelCount(Schema):
    name = fields.String(required=True)
    count = fields.Integer(required=True, metadata={"description": "visible posts with the label"})
    url = fields.String(required=True, metadata={"description": "the label's page on the blog"})
    posts = fields.String(required=True, metadata={"description": "the API URL of its posts"})


class LabelList(Schema):
    labels = fields.List(fields.Nested(LabelCount), required=True)


class Error(Schema):
    error = fields.String(required=True, metadata={"description": "a short code: not_found, ..."})
    message = fields.String(required=True)
    status = fields.Integer(required=True)
