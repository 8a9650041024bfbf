import {describe, expect, it} from 'vitest';
import {errorMessage, mask, registerSecret} from '../../source/text/mask.js';

describe('mask', () => {
	it('hides the password of a redis URL', () => {
		expect(mask('redis://app:secret@host:6379/0')).toBe('redis://app:***@host:6379/0');
		expect(mask('rediss://default:p4ss@cache.example.com:6380')).toBe('rediss://default:***@cache.example.com:6380');
	});

	it('hides a password with no user name', () => {
		expect(mask('redis://:secret@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0');
	});

	it('hides postgres passwords, percent-encoded ones included', () => {
		expect(mask('postgres://app:hunter2@db:5432/app')).toBe('postgres://app:***@db:5432/app');
		expect(mask('postgresql://app:p%40ss%3Aword@db.internal/app?sslmode=require')).toBe('postgresql://app:***@db.internal/app?sslmode=require');
	});

	it('hides every URL inside a longer text and leaves URLs without a password alone', () => {
		const text = 'from redis://a:one@h1:6379 to postgres://b:two@h2/db via redis://h3:6379/1';
		expect(mask(text)).toBe('from redis://a:***@h1:6379 to postgres://b:***@h2/db via redis://h3:6379/1');
		expect(mask('postgres://127.0.0.1:5432/postgres')).toBe('postgres://127.0.0.1:5432/postgres');
	});

	it('hides registered secrets anywhere in an error text, raw or percent-encoded', () => {
		registerSecret('Sup3r$ecret/pw');
		expect(mask('password authentication failed: Sup3r$ecret/pw')).toBe('password authentication failed: ***');
		expect(mask('url was postgres://u@h/db?password=Sup3r%24ecret%2Fpw')).toBe('url was postgres://u@h/db?password=***');
	});

	it('ignores empty and very short secrets (they would mask ordinary text)', () => {
		registerSecret('');
		registerSecret(undefined);
		registerSecret('ab');
		expect(mask('a b ab abc')).toBe('a b ab abc');
	});
});

describe('errorMessage', () => {
	it('is the first line of the message, masked', () => {
		registerSecret('t0psecret');
		const error = new Error('connect failed for redis://app:t0psecret@h:6379/0\n    at somewhere');
		expect(errorMessage(error)).toBe('connect failed for redis://app:***@h:6379/0');
		expect(errorMessage('auth t0psecret rejected')).toBe('auth *** rejected');
	});

	it('uses the code when there is no message, and the first part of an AggregateError', () => {
		const coded = Object.assign(new Error(''), {code: 'ECONNREFUSED'});
		expect(errorMessage(coded)).toBe('ECONNREFUSED');
		const aggregate = new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:1'), new Error('connect ECONNREFUSED ::1:1')], '');
		expect(errorMessage(aggregate)).toBe('connect ECONNREFUSED 127.0.0.1:1');
	});
});
