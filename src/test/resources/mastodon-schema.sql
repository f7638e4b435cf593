-- The newest Mastodon schema the tests have: a copy of mastodon-schema/mastodon-4.6.sql (generated from
-- db/schema.rb by mastodon-schema/schema_rb_to_sql.py), kept at this path for tests that read it directly.
-- Mastodon 4.6.0 (d438a09ddb, 4.6.0-rc.1): the tables this tool reads, generated from db/schema.rb (schema 20260611150940)
-- by schema_rb_to_sql.py. Do not edit by hand: regenerate.

CREATE TABLE schema_migrations (version character varying PRIMARY KEY);
INSERT INTO schema_migrations (version) VALUES ('20260611150940');

CREATE TABLE accounts (
    id bigint NOT NULL PRIMARY KEY,
    actor_type character varying,
    also_known_as character varying[],
    attribution_domains character varying[] DEFAULT '{}',
    avatar_content_type character varying,
    avatar_description character varying DEFAULT '' NOT NULL,
    avatar_file_name character varying,
    avatar_file_size integer,
    avatar_remote_url character varying,
    avatar_storage_schema_version integer,
    avatar_updated_at timestamp without time zone,
    collections_url character varying,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    discoverable boolean,
    display_name character varying DEFAULT '' NOT NULL,
    domain character varying,
    feature_approval_policy integer DEFAULT 0 NOT NULL,
    featured_collection_url character varying,
    fields jsonb,
    followers_url character varying DEFAULT '' NOT NULL,
    following_url character varying DEFAULT '' NOT NULL,
    header_content_type character varying,
    header_description character varying DEFAULT '' NOT NULL,
    header_file_name character varying,
    header_file_size integer,
    header_remote_url character varying DEFAULT '' NOT NULL,
    header_storage_schema_version integer,
    header_updated_at timestamp without time zone,
    hide_collections boolean,
    id_scheme integer DEFAULT 1,
    inbox_url character varying DEFAULT '' NOT NULL,
    indexable boolean DEFAULT false NOT NULL,
    last_webfingered_at timestamp without time zone,
    locked boolean DEFAULT false NOT NULL,
    memorial boolean DEFAULT false NOT NULL,
    moved_to_account_id bigint,
    note text DEFAULT '' NOT NULL,
    outbox_url character varying DEFAULT '' NOT NULL,
    private_key text,
    protocol integer DEFAULT 0 NOT NULL,
    public_key text DEFAULT '' NOT NULL,
    requested_review_at timestamp without time zone,
    reviewed_at timestamp without time zone,
    sensitized_at timestamp without time zone,
    shared_inbox_url character varying DEFAULT '' NOT NULL,
    show_featured boolean DEFAULT true NOT NULL,
    show_media boolean DEFAULT true NOT NULL,
    show_media_replies boolean DEFAULT true NOT NULL,
    silenced_at timestamp without time zone,
    suspended_at timestamp without time zone,
    suspension_origin integer,
    trendable boolean,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    uri character varying DEFAULT '' NOT NULL,
    url character varying,
    username character varying DEFAULT '' NOT NULL
);

CREATE TABLE media_attachments (
    id bigint NOT NULL PRIMARY KEY,
    account_id bigint,
    blurhash character varying,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    description text,
    file_content_type character varying,
    file_file_name character varying,
    file_file_size integer,
    file_meta json,
    file_storage_schema_version integer,
    file_updated_at timestamp without time zone,
    processing integer,
    remote_url character varying DEFAULT '' NOT NULL,
    scheduled_status_id bigint,
    shortcode character varying,
    status_id bigint,
    thumbnail_content_type character varying,
    thumbnail_file_name character varying,
    thumbnail_file_size integer,
    thumbnail_remote_url character varying,
    thumbnail_storage_schema_version integer,
    thumbnail_updated_at timestamp without time zone,
    type integer DEFAULT 0 NOT NULL,
    updated_at timestamp without time zone DEFAULT now() NOT NULL
);

CREATE TABLE statuses (
    id bigint NOT NULL PRIMARY KEY,
    account_id bigint NOT NULL,
    application_id bigint,
    conversation_id bigint,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    deleted_at timestamp without time zone,
    edited_at timestamp without time zone,
    fetched_replies_at timestamp(6) without time zone,
    in_reply_to_account_id bigint,
    in_reply_to_id bigint,
    language character varying,
    local boolean,
    ordered_media_attachment_ids bigint[],
    poll_id bigint,
    quote_approval_policy integer DEFAULT 0 NOT NULL,
    reblog_of_id bigint,
    reply boolean DEFAULT false NOT NULL,
    sensitive boolean DEFAULT false NOT NULL,
    spoiler_text text DEFAULT '' NOT NULL,
    text text DEFAULT '' NOT NULL,
    trendable boolean,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    uri character varying,
    url character varying,
    visibility integer DEFAULT 0 NOT NULL
);

CREATE TABLE custom_emojis (
    id bigserial PRIMARY KEY,
    category_id bigint,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    disabled boolean DEFAULT false NOT NULL,
    domain character varying,
    image_content_type character varying,
    image_file_name character varying,
    image_file_size integer,
    image_remote_url character varying,
    image_storage_schema_version integer,
    image_updated_at timestamp without time zone,
    shortcode character varying DEFAULT '' NOT NULL,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    uri character varying,
    visible_in_picker boolean DEFAULT true NOT NULL
);

CREATE TABLE preview_cards (
    id bigserial PRIMARY KEY,
    author_account_id bigint,
    author_name character varying DEFAULT '' NOT NULL,
    author_url character varying DEFAULT '' NOT NULL,
    blurhash character varying,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    description character varying DEFAULT '' NOT NULL,
    embed_url character varying DEFAULT '' NOT NULL,
    height integer DEFAULT 0 NOT NULL,
    html text DEFAULT '' NOT NULL,
    image_content_type character varying,
    image_description character varying DEFAULT '' NOT NULL,
    image_file_name character varying,
    image_file_size integer,
    image_storage_schema_version integer,
    image_updated_at timestamp without time zone,
    language character varying,
    link_type integer,
    max_score double precision,
    max_score_at timestamp without time zone,
    provider_name character varying DEFAULT '' NOT NULL,
    provider_url character varying DEFAULT '' NOT NULL,
    published_at timestamp(6) without time zone,
    title character varying DEFAULT '' NOT NULL,
    trendable boolean,
    type integer DEFAULT 0 NOT NULL,
    unverified_author_account_id bigint,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    url character varying DEFAULT '' NOT NULL,
    width integer DEFAULT 0 NOT NULL
);

CREATE TABLE preview_card_providers (
    id bigserial PRIMARY KEY,
    created_at timestamp(6) without time zone DEFAULT now() NOT NULL,
    domain character varying DEFAULT '' NOT NULL,
    icon_content_type character varying,
    icon_file_name character varying,
    icon_file_size bigint,
    icon_updated_at timestamp without time zone,
    requested_review_at timestamp without time zone,
    reviewed_at timestamp without time zone,
    trendable boolean,
    updated_at timestamp(6) without time zone DEFAULT now() NOT NULL
);

CREATE TABLE site_uploads (
    id bigserial PRIMARY KEY,
    blurhash character varying,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    file_content_type character varying,
    file_file_name character varying,
    file_file_size integer,
    file_updated_at timestamp without time zone,
    meta json,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    var character varying DEFAULT '' NOT NULL
);

CREATE TABLE backups (
    id bigserial PRIMARY KEY,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    dump_content_type character varying,
    dump_file_name character varying,
    dump_file_size bigint,
    dump_updated_at timestamp without time zone,
    processed boolean DEFAULT false NOT NULL,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    user_id bigint
);

-- (no table imports in this version)

CREATE TABLE follows (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    languages character varying[],
    notify boolean DEFAULT false NOT NULL,
    show_reblogs boolean DEFAULT true NOT NULL,
    target_account_id bigint NOT NULL,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    uri character varying
);
