-- The part of Mastodon 4.x's db/schema.rb this product reads, with the real column names and types, plus a few
-- columns it must ignore. (thumbnail_storage_schema_version exists only from 4.6: tests drop it to act as 4.5.)
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    username character varying DEFAULT '' NOT NULL,
    domain character varying,
    note text DEFAULT '' NOT NULL,
    display_name character varying DEFAULT '' NOT NULL,
    uri character varying DEFAULT '' NOT NULL,
    url character varying,
    avatar_file_name character varying,
    avatar_content_type character varying,
    avatar_file_size integer,
    avatar_updated_at timestamp without time zone,
    avatar_remote_url character varying,
    avatar_storage_schema_version integer,
    header_file_name character varying,
    header_content_type character varying,
    header_file_size integer,
    header_updated_at timestamp without time zone,
    header_remote_url character varying DEFAULT '' NOT NULL,
    header_storage_schema_version integer,
    suspended_at timestamp without time zone,
    silenced_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL DEFAULT now(),
    updated_at timestamp without time zone NOT NULL DEFAULT now()
);

CREATE TABLE media_attachments (
    id bigint PRIMARY KEY,
    status_id bigint,
    file_file_name character varying,
    file_content_type character varying,
    file_file_size integer,
    file_updated_at timestamp without time zone,
    remote_url character varying DEFAULT '' NOT NULL,
    created_at timestamp without time zone NOT NULL DEFAULT now(),
    updated_at timestamp without time zone NOT NULL DEFAULT now(),
    shortcode character varying,
    type integer DEFAULT 0 NOT NULL,
    file_meta json,
    account_id bigint,
    description text,
    scheduled_status_id bigint,
    blurhash character varying,
    processing integer,
    file_storage_schema_version integer,
    thumbnail_file_name character varying,
    thumbnail_content_type character varying,
    thumbnail_file_size integer,
    thumbnail_updated_at timestamp without time zone,
    thumbnail_remote_url character varying,
    thumbnail_storage_schema_version integer
);

CREATE TABLE custom_emojis (
    id bigserial PRIMARY KEY,
    shortcode character varying DEFAULT '' NOT NULL,
    domain character varying,
    image_file_name character varying,
    image_content_type character varying,
    image_file_size integer,
    image_updated_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL DEFAULT now(),
    updated_at timestamp without time zone NOT NULL DEFAULT now(),
    disabled boolean DEFAULT false NOT NULL,
    uri character varying,
    image_remote_url character varying,
    visible_in_picker boolean DEFAULT true NOT NULL,
    category_id bigint,
    image_storage_schema_version integer
);

CREATE TABLE preview_cards (
    id bigserial PRIMARY KEY,
    url character varying DEFAULT '' NOT NULL,
    title character varying DEFAULT '' NOT NULL,
    description character varying DEFAULT '' NOT NULL,
    image_file_name character varying,
    image_content_type character varying,
    image_file_size integer,
    image_updated_at timestamp without time zone,
    type integer DEFAULT 0 NOT NULL,
    created_at timestamp without time zone NOT NULL DEFAULT now(),
    updated_at timestamp without time zone NOT NULL DEFAULT now(),
    image_storage_schema_version integer,
    blurhash character varying
);

CREATE TABLE preview_card_providers (
    id bigserial PRIMARY KEY,
    domain character varying DEFAULT '' NOT NULL,
    icon_file_name character varying,
    icon_content_type character varying,
    icon_file_size bigint,
    icon_updated_at timestamp without time zone,
    trendable boolean,
    created_at timestamp without time zone NOT NULL DEFAULT now(),
    updated_at timestamp without time zone NOT NULL DEFAULT now()
);

CREATE TABLE site_uploads (
    id bigserial PRIMARY KEY,
    var character varying DEFAULT '' NOT NULL,
    file_file_name character varying,
    file_content_type character varying,
    file_file_size integer,
    file_updated_at timestamp without time zone,
    meta json,
    created_at timestamp without time zone NOT NULL DEFAULT now(),
    updated_at timestamp without time zone NOT NULL DEFAULT now(),
    blurhash character varying
);

CREATE TABLE backups (
    id bigserial PRIMARY KEY,
    user_id bigint,
    dump_file_name character varying,
    dump_content_type character varying,
    dump_updated_at timestamp without time zone,
    processed boolean DEFAULT false NOT NULL,
    created_at timestamp without time zone NOT NULL DEFAULT now(),
    updated_at timestamp without time zone NOT NULL DEFAULT now(),
    dump_file_size bigint
);

CREATE TABLE follows (
    id bigserial PRIMARY KEY,
    created_at timestamp without time zone NOT NULL DEFAULT now(),
    updated_at timestamp without time zone NOT NULL DEFAULT now(),
    account_id bigint NOT NULL,
    target_account_id bigint NOT NULL,
    show_reblogs boolean DEFAULT true NOT NULL,
    uri character varying,
    notify boolean DEFAULT false NOT NULL
);
