import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
	{ignores: ['build/**', 'dist/**', 'node_modules/**', 'media/**', 'coverage/**']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	reactHooks.configs.flat.recommended,
	{
		languageOptions: {
			globals: {
				process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
				setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly',
				AbortController: 'readonly', AbortSignal: 'readonly', performance: 'readonly', fetch: 'readonly',
				setImmediate: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly',
			},
		},
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
			'@typescript-eslint/no-explicit-any': 'off',
			'no-control-regex': 'off',
			'no-misleading-character-class': 'off',
		},
	},
);
